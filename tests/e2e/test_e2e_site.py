"""The portal on a phone (390 px) and a wide screen (1280 px), with and without JavaScript:
axe-core, no sideways scrolling, the first result of /ptce/ on the first screen, the header
menu, the territory box without JavaScript, the favicon and the site pages (issue 12)."""

import re

import pytest
from e2e_helpers import check_axe, wait_until_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
SIZES = {"390": PHONE, "1280": WIDE}
PAGES = {
    "home": "/",
    "directory": "/ptce/",
    "ptce": "/ptce/atelier-dart-de-vichy/",
    "map": "/carte/",
    "territories": "/territoires/",
    "commune": "/territoires/commune/03095/",
    "guide": "/soutenir/",
    "experiences": "/experiences/",
    "schemes": "/dispositifs/",
    "propose": "/proposer/",
    "contact": "/contact/",
    "legal": "/mentions-legales/",
    "accessibility": "/accessibilite/",
    "site-map": "/plan-du-site/",
}
SCROLL_WIDTH = "() => document.documentElement.scrollWidth"
# Whether the selected option's text fits in its select (40 px for the arrow and padding).
SORT_FITS = """(el) => {
    const context = document.createElement('canvas').getContext('2d');
    context.font = getComputedStyle(el).font;
    const text = el.options[el.selectedIndex].text;
    return context.measureText(text).width + 40 <= el.clientWidth;
}"""


def local_only(page, base_url):
    """Requests outside the e2e server are aborted (contexts of their own, without JS)."""
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(base_url) else route.abort()
        ),
    )


def no_sideways_scroll(page):
    width = page.evaluate(SCROLL_WIDTH)
    viewport = page.evaluate("() => innerWidth")
    assert width <= viewport, f"horizontal scroll on {page.url}: {width} > {viewport}"


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_main_pages_pass_axe_without_sideways_scroll(page, path, size):
    page.set_viewport_size(size)
    response = page.goto(path)
    assert response is not None and response.status == 200
    wait_until_idle(page)
    no_sideways_scroll(page)
    check_axe(page)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_404_page_has_a_search_box_and_passes_axe(page, page_problems, size):
    page.set_viewport_size(size)
    response = page.goto("/ptce/nexiste-pas/")
    assert response.status == 404
    page_problems.http_errors.clear()  # this 404 is the point of the test
    no_sideways_scroll(page)
    check_axe(page)

    page.get_by_label("Chercher un PTCE par mot-clé").fill("vichy")
    page.get_by_role("button", name="Chercher", exact=True).click()
    expect(page).to_have_url(re.compile(r"/ptce/\?q=vichy$"))
    expect(page.locator("#results article.card").first).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_phone_the_first_result_is_on_the_first_screen(browser, base_url, javascript):
    context = browser.new_context(base_url=base_url, viewport=PHONE, java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort()
        )
        page.goto("/ptce/")
        first = page.locator("#results article.card").first
        box = first.bounding_box()
        assert box is not None and box["y"] + 60 <= PHONE["height"], box
        no_sideways_scroll(page)

        # The filters are one tap away, and their sort control shows its whole text.
        page.locator("summary", has_text="Filtres").click()
        sort = page.locator("#id_sort")
        expect(sort).to_be_visible()
        fits = sort.evaluate(SORT_FITS)
        assert fits, "the sort control's text is cut"
        no_sideways_scroll(page)
    finally:
        context.close()


def test_on_a_wide_screen_the_filters_are_unfolded(page):
    page.set_viewport_size(WIDE)
    page.goto("/ptce/")
    expect(page.locator("#id_q")).to_be_visible()
    expect(page.locator("summary", has_text="Filtres")).to_be_hidden()
    expect(page.locator("#results article.card").first).to_be_in_viewport()


def test_on_a_phone_the_header_menu_opens_with_the_keyboard_and_closes_on_escape(page):
    page.set_viewport_size(PHONE)
    page.goto("/")
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] < 80, "the header wraps onto several lines"
    expect(page.locator(".site-nav__wide")).to_be_hidden()
    menu = page.locator("summary", has_text="Menu")
    expect(menu).to_be_visible()
    directory_link = page.locator(".site-nav__compact").get_by_role("link", name="Les PTCE")
    expect(directory_link).to_be_hidden()

    menu.focus()
    page.keyboard.press("Enter")
    expect(directory_link).to_be_visible()
    page.keyboard.press("Tab")
    expect(directory_link).to_be_focused()
    page.keyboard.press("Escape")
    expect(directory_link).to_be_hidden()
    expect(menu).to_be_focused()

    menu.click()
    page.locator(".site-nav__compact").get_by_role("link", name="Carte").click()
    expect(page).to_have_url(re.compile(r"/carte/$"))


def test_on_a_wide_screen_the_menu_is_a_row_of_links(page):
    page.set_viewport_size(WIDE)
    page.goto("/")
    expect(page.locator("summary", has_text="Menu")).to_be_hidden()
    expect(page.locator(".site-nav__wide").get_by_role("link", name="Les PTCE")).to_be_visible()


def test_without_javascript_the_menu_still_opens(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        page.locator("summary", has_text="Menu").click()
        page.locator(".site-nav__compact").get_by_role("link", name="Territoires").click()
        expect(page).to_have_url(re.compile(r"/territoires/$"))
    finally:
        context.close()


# --- the territory box without JavaScript -----------------------------------------------------
@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_without_javascript_the_territory_box_keeps_the_theme(browser, base_url, size):
    context = browser.new_context(base_url=base_url, viewport=size, java_script_enabled=False)
    try:
        page = context.new_page()
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort()
        )
        page.goto("/ptce/")
        if size is PHONE:
            page.locator("summary", has_text="Filtres").click()
        page.locator('#directory-filters input[name="theme"][value="culture"]').check()
        page.get_by_role("button", name="Filtrer", exact=True).click()
        assert "theme=culture" in page.url

        if size is PHONE:
            page.locator("summary", has_text="Filtres").click()
        page.get_by_label("Commune ou intercommunalité").fill("Cusset")
        page.get_by_label("Commune ou intercommunalité").press("Enter")

        expect(page).to_have_url(re.compile(r"/ptce/\?theme=culture&commune=03095$"))
        expect(page.locator("#result-count")).to_have_text(re.compile(r"^\s*1\s+PTCE"))
        expect(page.locator("#results article.card h2")).to_have_text("Atelier d'Art de Vichy")
        expect(page.get_by_label("Commune ou intercommunalité")).to_have_value("Cusset")
    finally:
        context.close()


def test_without_javascript_an_ambiguous_name_offers_a_choice_keeping_the_theme(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport=WIDE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort()
        )
        page.goto("/ptce/?theme=culture")
        page.get_by_label("Commune ou intercommunalité").fill("Saint-Denis")
        page.get_by_role("button", name="Chercher ce territoire").click()

        expect(page.locator("h1")).to_have_text("Quel territoire ?")
        page.get_by_role("link", name=re.compile(r"^Saint-Denis \(974\)")).click()
        expect(page).to_have_url(re.compile(r"/ptce/\?theme=culture&commune=97411$"))

        page.get_by_label("Commune ou intercommunalité").fill("Xyzzyville")
        page.get_by_label("Commune ou intercommunalité").press("Enter")
        expect(page.get_by_role("alert")).to_contain_text("« Xyzzyville »")
        page.get_by_role("link", name="Revenir aux résultats sans choisir de territoire").click()
        expect(page).to_have_url(re.compile(r"/ptce/\?theme=culture$"))
    finally:
        context.close()


@pytest.mark.parametrize("name", ["Saint-Denis", "Xyzzyville"])
def test_the_territory_choice_pages_pass_axe(page, name):
    """(axe-core runs in the page: checked here, with JavaScript.)"""
    page.goto(f"/ptce/filtre/territoire/?territoire={name}&theme=culture")
    check_axe(page)


def test_with_javascript_a_name_typed_without_choosing_is_resolved_too(page):
    page.set_viewport_size(WIDE)
    page.goto("/ptce/?theme=culture")
    box = page.get_by_label("Commune ou intercommunalité")
    box.fill("Cusset")
    page.locator(".picker__listbox [role=option]").first.wait_for()
    box.press("Escape")  # close the suggestions, keep the text
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/ptce/\?theme=culture&commune=03095$"))
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\s*1\s+PTCE"))


def test_with_javascript_enter_in_the_keyword_field_updates_in_place(page):
    page.set_viewport_size(WIDE)
    page.goto("/ptce/")
    page.evaluate("() => { window.__stayed = true; }")
    page.locator("#id_q").fill("vichy")
    page.locator("#id_q").press("Enter")
    wait_until_idle(page)
    expect(page).to_have_url(re.compile(r"/ptce/\?q=vichy$"))
    assert page.evaluate("() => window.__stayed === true"), "the page was reloaded"


# --- favicon ----------------------------------------------------------------------------------
def test_the_favicon_is_served_not_a_404(page):
    page.goto("/")
    hrefs = page.locator('link[rel="icon"]').evaluate_all("(links) => links.map((l) => l.href)")
    assert len(hrefs) == 2
    for href in [*hrefs, "/favicon.ico"]:
        response = page.request.get(href)
        assert response.status == 200, (href, response.status)
        assert response.headers["content-type"].startswith("image/"), href
