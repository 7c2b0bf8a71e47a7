"""The map of the directory (``/ptce/``) in a real browser: beside the list on a wide screen,
behind a "Liste / Carte" toggle on a phone, following the filters, and searching the visible
zone.

Contract of the page: the map panel ``#directory-map-panel`` (hidden without JavaScript) holds
``#directory-map-count`` ("N PTCE sur la carte"), the button "Rechercher dans cette zone" and
the map ``#directory-map``, which carries ``data-status`` (``loading``, ``ready``, ``error``),
``data-points`` (markers loaded) and ``data-zoom``. The toggle ``#directory-view-toggle`` has
two buttons "Liste" and "Carte" with ``aria-pressed``. The list follows the contract of
``test_e2e_directory.py``; the zone is the filter ``bbox`` with the chip "Zone de la carte".
"""

import re

import pytest
from e2e_helpers import check_axe, wait_until_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

MAP = "#directory-map"
MAP_COUNT = re.compile(r"^\s*(\d[\d\s\u202f\u00a0]*) PTCE sur la carte\s*$")
LIST_COUNT = re.compile(r"^\s*(\d[\d\s\u202f\u00a0]*)\s*PTCE\b")
WIDE = {"width": 1400, "height": 900}
PHONE = {"width": 375, "height": 800}
FORM = "form#directory-filters"


def wait_ready(page):
    page.wait_for_function(
        "() => { const map = document.querySelector('#directory-map');"
        " return map && map.dataset.status === 'ready'"
        " && !document.querySelector('[aria-busy=\"true\"]'); }",
        polling=50,
    )


def number(text, pattern):
    match = pattern.match(text)
    assert match, text
    return int(re.sub(r"\D", "", match.group(1)))


def map_count(page) -> int:
    return number(page.locator("#directory-map-count").inner_text(), MAP_COUNT)


def list_count(page) -> int:
    return number(page.locator("#result-count").inner_text(), LIST_COUNT)


def located(page, query=""):
    response = page.request.get(f"/api/v1/ptce.geojson{query}")
    assert response.ok, response.status
    return len(response.json()["features"])


def open_directory(page, viewport, path="/ptce/"):
    page.set_viewport_size(viewport)
    response = page.goto(path)
    assert response is not None and response.status == 200
    wait_ready(page)


def test_on_a_wide_screen_the_map_is_beside_the_list(page):
    open_directory(page, WIDE)

    panel, results = page.locator("#directory-map-panel"), page.locator("#results")
    expect(panel).to_be_visible()
    expect(results).to_be_visible()
    expect(page.locator("#directory-view-toggle")).to_be_hidden()
    assert panel.bounding_box()["x"] > results.bounding_box()["x"] + 200  # side by side
    total = located(page)
    assert map_count(page) == total > 1
    assert page.locator(MAP).get_attribute("data-points") == str(total)
    # Clusters are focusable buttons named by their number; markers by their alt text.
    cluster = page.locator(f"{MAP} .marker-cluster").first
    expect(cluster).to_be_visible()
    assert cluster.get_attribute("tabindex") == "0"
    assert cluster.get_attribute("role") == "button"
    assert re.match(r"^\d+ PTCE regroupés", cluster.get_attribute("aria-label"))
    check_axe(page)


def test_a_theme_updates_the_list_and_the_markers_together(page):
    open_directory(page, WIDE)
    before_list, before_map = list_count(page), map_count(page)
    expected = located(page, "?theme=culture")
    assert 0 < expected < before_map

    culture = page.locator(f'{FORM} input[name="theme"][value="culture"]')
    page.locator(f'label[for="{culture.get_attribute("id")}"]').click()
    wait_until_idle(page)
    page.wait_for_function(
        "(n) => document.querySelector('#directory-map').dataset.points === String(n)",
        arg=expected,
    )
    wait_ready(page)

    assert map_count(page) == expected
    assert expected <= list_count(page) < before_list
    assert "theme=culture" in page.url
    # Removing the filter with its chip brings every PTCE back on both.
    page.locator("#results a.chip", has_text="Culture").click()
    wait_until_idle(page)
    wait_ready(page)
    assert (list_count(page), map_count(page)) == (before_list, before_map)


def test_keyboard_opens_a_cluster_and_a_popup(page):
    open_directory(page, WIDE)
    zoom = int(page.locator(MAP).get_attribute("data-zoom"))
    page.locator(f"{MAP} .marker-cluster").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(z) => Number(document.querySelector('#directory-map').dataset.zoom) > z", arg=zoom
    )
    marker = page.locator(f"{MAP} img.leaflet-marker-icon").first
    for _ in range(8):
        if marker.count():
            break
        page.locator(f"{MAP} .marker-cluster").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(400)
    marker.focus()
    name = marker.get_attribute("alt")
    page.keyboard.press("Enter")
    popup_link = page.locator(".leaflet-popup .map-popup__title a")
    expect(popup_link).to_have_text(name)
    expect(popup_link).to_be_focused()
    expect(page.locator(".leaflet-popup .map-popup__more")).to_have_text("Voir la fiche")
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(marker).to_be_focused()


def test_search_in_this_zone_narrows_the_list_and_the_url_follows(page):
    open_directory(page, WIDE)
    total_list, total_map = list_count(page), map_count(page)
    zoom = int(page.locator(MAP).get_attribute("data-zoom"))

    # Choosing the Allier brings the map there; choosing every département again keeps it
    # there while the list shows every PTCE.
    departement = page.locator(f"{FORM} select[name=departement]")
    departement.select_option("03")
    wait_until_idle(page)
    page.wait_for_function(
        "(z) => Number(document.querySelector('#directory-map').dataset.zoom) > z", arg=zoom
    )
    departement.select_option("")
    wait_until_idle(page)
    wait_ready(page)
    assert list_count(page) == total_list
    assert "bbox=" not in page.url

    page.get_by_role("button", name="Rechercher dans cette zone").click()
    wait_until_idle(page)
    wait_ready(page)

    assert "bbox=" in page.url
    assert 0 < list_count(page) < total_list
    assert 0 < map_count(page) < total_map
    expect(page.locator("#results a.chip", has_text="Zone de la carte")).to_be_visible()
    check_axe(page)
    # The zone is a filter like the others: the page reloaded with its URL shows the same.
    narrowed = list_count(page)
    open_directory(page, WIDE, page.url)
    assert list_count(page) == narrowed
    # Its chip removes it.
    page.locator("#results a.chip", has_text="Zone de la carte").click()
    wait_until_idle(page)
    wait_ready(page)
    assert "bbox=" not in page.url
    assert (list_count(page), map_count(page)) == (total_list, total_map)


def test_on_a_phone_a_toggle_switches_between_list_and_map(page):
    open_directory(page, PHONE)
    toggle = page.locator("#directory-view-toggle")
    as_list = toggle.get_by_role("button", name="Liste", exact=True)
    as_map = toggle.get_by_role("button", name="Carte", exact=True)
    expect(toggle).to_be_visible()
    expect(as_list).to_have_attribute("aria-pressed", "true")
    expect(as_map).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#results")).to_be_visible()
    expect(page.locator("#directory-map-panel")).to_be_hidden()
    check_axe(page)

    as_map.click()
    expect(as_map).to_have_attribute("aria-pressed", "true")
    expect(as_list).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#results")).to_be_hidden()
    expect(page.locator(MAP)).to_be_visible()
    expect(page.locator(f"{MAP} .marker-cluster").first).to_be_visible()
    assert map_count(page) == located(page)
    box = page.locator(MAP).bounding_box()
    assert box["width"] > 300 and box["height"] > 300
    check_axe(page)

    as_list.press("Enter")  # the keyboard works the toggle too
    expect(as_list).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#results")).to_be_visible()
    expect(page.locator("#directory-map-panel")).to_be_hidden()


def test_without_javascript_the_page_is_the_list(browser, base_url):
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    try:
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(base_url) else route.abort()
            ),
        )
        page.goto("/ptce/?bbox=3,45.9,3.7,46.4")
        expect(page.locator("#results article.card").first).to_be_visible()
        expect(page.locator("#directory-map-panel")).to_be_hidden()
        expect(page.locator("#directory-view-toggle")).to_be_hidden()
        expect(page.locator("#results a.chip", has_text="Zone de la carte")).to_be_visible()
        # The zone stays when the form is sent again.
        page.locator(f'{FORM} input[name="theme"][value="culture"]').check()
        page.locator(FORM).get_by_role("button", name="Filtrer", exact=True).click()
        assert "bbox=3%2C45.9%2C3.7%2C46.4" in page.url and "theme=culture" in page.url
    finally:
        context.close()
