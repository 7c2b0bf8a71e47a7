"""The public pages load in a real browser, are accessible and need no network."""

import pytest
from e2e_helpers import active_element, check_axe
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PAGES = {
    "home": ("/", "Les pôles territoriaux de coopération économique"),
    "ptce": ("/ptce/atelier-dart-de-vichy/", "Atelier d'Art de Vichy"),
    "commune": ("/territoires/commune/03095/", "Cusset"),
    "departement": ("/territoires/departement/03/", "Allier"),
}


@pytest.mark.parametrize(("path", "heading"), PAGES.values(), ids=PAGES.keys())
def test_page_loads_with_h1_and_passes_axe(page, path, heading):
    response = page.goto(path)
    assert response is not None and response.status == 200, response and response.status
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_contain_text(heading)
    assert page.title().strip(), "the page has no <title>"
    check_axe(page)
    # Whatever the page asked for was served by the portal (the page fixture checks it).


def test_skip_link_is_first_and_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = active_element(page)
    assert focused["tag"] == "a" and focused["text"] == "Aller au contenu", focused
    assert focused["outlineStyle"] != "none", f"the focused skip link has no outline: {focused}"
    expect(page.locator(".skip-link")).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
    assert page.url.endswith("#contenu")


@pytest.mark.parametrize(
    "path", [path for path, _ in PAGES.values()] + ["/ptce/"], ids=[*PAGES.keys(), "directory"]
)
def test_no_horizontal_scroll_at_320px(page, path):
    """WCAG 1.4.10 (reflow): 320 CSS pixels wide, nothing needs scrolling sideways."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= 320, f"horizontal scroll at 320 px: scrollWidth is {scroll_width}"


@pytest.mark.parametrize("path", ["/territoires/departement/03/"])
def test_on_a_small_screen_a_link_leads_past_the_filters_to_the_results(page, path):
    """(On /ptce/ the filters are folded and the results come first: test_e2e_site.py.)"""
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(path)
    link = page.get_by_role("link", name="Aller aux résultats")
    link.scroll_into_view_if_needed()  # a territory page has its map and summary first
    expect(link).to_be_in_viewport()
    expect(page.locator("#result-count")).not_to_be_in_viewport()

    link.click()

    expect(page.locator("#result-count")).to_be_in_viewport()


def test_on_a_wide_screen_the_results_need_no_such_link(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/ptce/")
    expect(page.get_by_role("link", name="Aller aux résultats")).to_be_hidden()
    expect(page.locator("#result-count")).to_be_in_viewport()
