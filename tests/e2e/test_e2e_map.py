"""The map (``/carte/``) and the admin's point picker in a real browser; on every page with a
map, no inline script (the maps start from static files: a CSP ``script-src 'self'`` holds).

Contract of the page: the map container ``#ptce-map`` carries ``data-status`` (``loading``,
``ready``, ``error``), ``data-points`` (markers loaded), ``data-zoom`` and, when the coverage
layer is shown, ``data-coverage`` (``departement`` or ``region``); ``#map-count`` says
"N PTCE sur la carte"; the filter form is ``form#map-filters``; coverage shapes are SVG paths
with the class ``coverage-<level>-<code>`` and a tooltip "<name> : N PTCE".
Tiles point at the local blank tile (test settings): nothing leaves the e2e server.
"""

import re

import pytest
from e2e_helpers import check_axe
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

MAP = "#ptce-map"
COUNT = re.compile(r"^\s*(\d[\d\s\u202f\u00a0]*) PTCE sur la carte\s*$")


def wait_ready(page):
    page.wait_for_function(
        "() => { const map = document.querySelector('#ptce-map');"
        " return map && map.dataset.status === 'ready'"
        " && !document.querySelector('[aria-busy=\"true\"]'); }",
        polling=50,
    )


def shown_count(page) -> int:
    text = page.locator("#map-count").inner_text()
    match = COUNT.match(text)
    assert match, text
    return int(re.sub(r"\D", "", match.group(1)))


def api(page, path):
    response = page.request.get(path)
    assert response.ok, (path, response.status)
    return response.json()


def hover_shape(page, selector):
    """Moves the mouse onto an SVG shape of the map (and a little within it, so that Leaflet
    sees a mouseover even if the pointer was already there)."""
    shape = page.locator(selector)
    shape.scroll_into_view_if_needed()
    box = shape.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(1, 1)  # off the map first: no tooltip left open elsewhere
    page.mouse.move(x - 4, y - 4)
    page.mouse.move(x, y, steps=4)


def open_map(page, path="/carte/"):
    response = page.goto(path)
    assert response is not None and response.status == 200
    wait_ready(page)


def test_markers_appear_and_cluster(page):
    open_map(page)
    located = len(api(page, "/api/v1/ptce.geojson")["features"])
    assert located > 1
    assert shown_count(page) == located
    assert page.locator(MAP).get_attribute("data-points") == str(located)
    clusters = page.locator(f"{MAP} .marker-cluster")
    expect(clusters.first).to_be_visible()
    # Points in view are markers or inside clusters whose numbers count them (points
    # overseas, out of view, are not drawn).
    sizes = [int(text) for text in clusters.all_inner_texts()]
    singles = page.locator(f"{MAP} img.leaflet-marker-icon").count()
    assert max(sizes) > 1
    assert located - 5 <= sum(sizes) + singles <= located
    # Cluster icons and markers are focusable buttons with a name.
    first = clusters.first
    assert first.get_attribute("tabindex") == "0"
    assert first.get_attribute("role") == "button"
    assert re.match(r"^\d+ PTCE regroupés", first.get_attribute("aria-label"))


def test_filtering_by_theme_updates_the_map_count_and_url(page):
    open_map(page)
    before = shown_count(page)
    expected = len(api(page, "/api/v1/ptce.geojson?theme=culture")["features"])
    assert 0 < expected < before
    page.locator('form#map-filters input[name="theme"][value="culture"]').check()
    expect(page.locator("#map-count")).to_have_text(COUNT)
    page.wait_for_function(
        "(n) => document.querySelector('#ptce-map').dataset.points === String(n)", arg=expected
    )
    wait_ready(page)
    assert shown_count(page) == expected
    assert "theme=culture" in page.url
    expect(page.locator("#map-list-link")).to_have_attribute("href", "/ptce/?theme=culture")
    # The page reloaded with that URL shows the same thing.
    open_map(page, page.url)
    assert shown_count(page) == expected
    expect(page.locator('input[name="theme"][value="culture"]')).to_be_checked()


def test_a_cluster_click_zooms_in(page):
    open_map(page)
    zoom = int(page.locator(MAP).get_attribute("data-zoom"))
    page.locator(f"{MAP} .marker-cluster").first.click()
    page.wait_for_function(
        "(z) => Number(document.querySelector('#ptce-map').dataset.zoom) > z", arg=zoom
    )


def test_keyboard_opens_a_cluster_and_a_popup(page):
    open_map(page)
    zoom = int(page.locator(MAP).get_attribute("data-zoom"))
    page.locator(f"{MAP} .marker-cluster").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(z) => Number(document.querySelector('#ptce-map').dataset.zoom) > z", arg=zoom
    )
    # Zoom in with the keyboard until a single marker shows, then open its popup.
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
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(marker).to_be_focused()


def test_coverage_layer_tooltip_gives_the_count_of_a_departement(page):
    open_map(page)
    counts = api(page, "/api/v1/coverage.json?level=departement")["counts"]
    allier = counts.get("03", 0)
    assert allier > 0
    page.get_by_label("Couverture : PTCE par territoire").check()
    page.get_by_label("PTCE (marqueurs)").uncheck()
    page.wait_for_function("() => document.querySelector('#ptce-map').dataset.coverage")
    # Below zoom 6: régions. Zoom in with the keyboard: départements.
    assert page.locator(MAP).get_attribute("data-coverage") == "region"
    page.locator(MAP).focus()
    page.keyboard.press("+")
    page.wait_for_function(
        "() => document.querySelector('#ptce-map').dataset.coverage === 'departement'"
    )
    hover_shape(page, f"{MAP} path.coverage-departement-03")
    tooltip = page.locator(".coverage-tooltip", has_text="Allier :")
    expect(tooltip).to_have_text(f"Allier : {allier} PTCE")
    # A département without any PTCE is drawn differently (hatched).
    empty = next(code for code in ("48", "23", "15", "52", "55") if code not in counts)
    path = page.locator(f"{MAP} path.coverage-departement-{empty}")
    assert path.get_attribute("fill") == "url(#ptce-map-hatch)"
    expect(page.locator(".map-legend")).to_contain_text("Aucun PTCE")


def test_coverage_follows_the_filters(page):
    open_map(page, "/carte/?theme=culture")
    counts = api(page, "/api/v1/coverage.json?level=region&theme=culture")["counts"]
    page.get_by_label("Couverture : PTCE par territoire").check()
    page.get_by_label("PTCE (marqueurs)").uncheck()
    page.wait_for_function("() => document.querySelector('#ptce-map').dataset.coverage")
    code, n = next(iter(counts.items()))
    hover_shape(page, f"{MAP} path.coverage-region-{code}")
    name = page.locator(f'tr[data-region="{code}"] th').inner_text().strip()
    tooltip = page.locator(".coverage-tooltip", has_text=f"{name} :")
    expect(tooltip).to_have_text(f"{name} : {n} PTCE")
    # The table per région says the same.
    expect(page.locator(f'tr[data-region="{code}"] td')).to_contain_text(str(n))


def test_search_in_this_zone(page):
    open_map(page)
    total = shown_count(page)
    page.locator(MAP).focus()
    for _ in range(3):
        page.keyboard.press("+")
    page.wait_for_timeout(600)
    page.get_by_role("button", name="Rechercher dans cette zone").click()
    wait_ready(page)
    assert "bbox=" in page.url
    assert shown_count(page) < total
    expect(page.locator("#map-zone-status")).to_be_visible()
    page.get_by_role("button", name="Retirer la zone").click()
    wait_ready(page)
    assert "bbox=" not in page.url
    assert shown_count(page) == total


def test_map_page_passes_axe(page):
    open_map(page)
    check_axe(page)
    page.get_by_label("Couverture : PTCE par territoire").check()
    page.wait_for_function("() => document.querySelector('#ptce-map').dataset.coverage")
    check_axe(page)


def test_map_page_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    try:
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(base_url) else route.abort()
            ),
        )
        page.goto("/carte/?theme=culture")
        expect(page.locator("#map-count")).to_have_text(COUNT)
        expect(page.get_by_role("link", name="Voir la liste", exact=True)).to_have_attribute(
            "href", "/ptce/?theme=culture"
        )
        expect(page.locator("table.coverage-table tbody tr").first).to_be_visible()
    finally:
        context.close()


# --- no inline script: a Content-Security-Policy "script-src 'self'" holds --------------------
# Pages with a map (and the home page), and how to tell that their map has started.
CSP_PAGES = {
    "home": ("/", None),
    "directory": ("/ptce/", "#directory-map[data-status='ready']"),
    "ptce": ("/ptce/atelier-dart-de-vichy/", "#ptce-map .leaflet-marker-icon"),
    "map": ("/carte/", "#ptce-map[data-status='ready']"),
    "territory": ("/territoires/departement/03/", "#territory-map[data-status='ready']"),
}
STRICT_CSP = "script-src 'self'; object-src 'none'; base-uri 'self'"
# Script elements that are data blocks, never executed.
INLINE_SCRIPTS_JS = """() => Array.from(document.querySelectorAll('script:not([src])'))
    .filter((s) => !['application/json', 'application/ld+json']
        .includes((s.getAttribute('type') || '').trim().toLowerCase()))
    .map((s) => s.outerHTML.slice(0, 200))"""
INLINE_HANDLERS_JS = """() => Array.from(document.querySelectorAll('*')).flatMap((el) =>
    Array.from(el.attributes)
        .filter((a) => /^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value))
        .map((a) => `<${el.tagName.toLowerCase()} ${a.name}="${a.value.slice(0, 60)}">`))"""


def with_strict_csp(page):
    """Serves the portal's pages with a strict CSP header and records its violations in
    ``window.__cspViolations``."""

    def add_header(route):
        if route.request.resource_type != "document":
            route.fallback()  # to the page fixture's guard
            return
        response = route.fetch()
        route.fulfill(
            response=response,
            headers={**response.headers, "content-security-policy": STRICT_CSP},
        )

    page.route("**/*", add_header)
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations"
        ".push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"
    )


@pytest.mark.parametrize(("path", "started"), CSP_PAGES.values(), ids=CSP_PAGES.keys())
def test_pages_have_no_inline_script_and_their_map_starts_under_a_strict_csp(page, path, started):
    with_strict_csp(page)
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    assert page.evaluate(INLINE_SCRIPTS_JS) == []
    assert page.evaluate(INLINE_HANDLERS_JS) == []
    if started:
        expect(page.locator(started).first).to_be_attached()
    assert page.evaluate("() => window.__cspViolations") == []


def test_the_territory_map_shows_the_ptces_of_the_departement(page):
    with_strict_csp(page)
    located = len(api(page, "/api/v1/ptce.geojson?departement=03")["features"])
    assert located > 0
    page.goto("/territoires/departement/03/")
    territory_map = page.locator("#territory-map")
    expect(territory_map).to_have_attribute("data-status", "ready")
    assert territory_map.get_attribute("data-points") == str(located)
    # The outline of the département and its PTCEs, clustered or single markers.
    expect(territory_map.locator(".leaflet-overlay-pane path").first).to_be_attached()
    shown = territory_map.locator(".marker-cluster, img.leaflet-marker-icon")
    expect(shown.first).to_be_visible()
    page.wait_for_function(
        """(n) => { const map = document.querySelector('#territory-map');
            const clusters = Array.from(map.querySelectorAll('.marker-cluster'))
                .reduce((sum, c) => sum + Number(c.textContent.replace(/\\D/g, '')), 0);
            return clusters + map.querySelectorAll('img.leaflet-marker-icon').length === n; }""",
        arg=located,
        polling=50,
    )
    # Tiles and attribution come from the settings (the test tiles), as with django-leaflet.
    expect(territory_map.locator(".leaflet-control-attribution")).to_contain_text("Tuiles de test")
    expect(territory_map.locator("img.leaflet-tile").first).to_have_attribute(
        "src", re.compile(r"/static/img/blank-tile\.png")
    )
    assert page.evaluate("() => window.__cspViolations") == []


# --- the admin's point picker -----------------------------------------------------------------
def log_in(page, credentials):
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", credentials["username"])
    page.fill("#id_password", credentials["password"])
    page.locator('input[type="submit"], button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_admin_point_picker_fills_the_fields_and_saves(page, admin_credentials):
    features = api(page, "/api/v1/ptce.geojson")["features"]
    target = next(f for f in features if f["properties"]["slug"] != "atelier-dart-de-vichy")
    pk, slug = target["properties"]["id"], target["properties"]["slug"]
    log_in(page, admin_credentials)
    page.goto(f"/admin/directory/ptce/{pk}/change/")
    picker = page.locator("#point-picker-map")
    expect(picker).to_be_visible()
    expect(picker.locator(".leaflet-marker-icon")).to_have_count(1)
    latitude, longitude = page.locator("#id_latitude"), page.locator("#id_longitude")

    # A click on the map fills both fields, rounded to 6 decimals.
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.4})
    lat_value, lon_value = latitude.input_value(), longitude.input_value()
    assert re.fullmatch(r"-?\d+(\.\d{1,6})?", lat_value), lat_value
    assert re.fullmatch(r"-?\d+(\.\d{1,6})?", lon_value), lon_value
    assert (float(lat_value), float(lon_value)) != tuple(
        reversed(target["geometry"]["coordinates"])
    )

    # Typing moves the marker.
    marker = picker.locator(".leaflet-marker-icon")
    before = marker.bounding_box()
    latitude.fill(str(round(float(lat_value) + 0.005, 6)))
    after = marker.bounding_box()
    assert after["y"] < before["y"]

    # The seat commune's town hall, when the PTCE has a commune.
    center = page.get_by_role("button", name="Centrer sur la commune")
    if target["properties"]["commune"] and center.is_enabled():
        center.click()
        expect(page.locator(".point-picker__status")).to_contain_text(
            target["properties"]["commune"]
        )

    latitude.fill("45.123456")
    longitude.fill("4.654321")
    page.locator('input[name="_continue"]').click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator("#id_latitude")).to_have_value("45.123456")
    expect(page.locator("#id_longitude")).to_have_value("4.654321")
    # The public map shows the new position at once (its cache follows the save).
    saved = next(
        f for f in api(page, "/api/v1/ptce.geojson")["features"] if f["properties"]["slug"] == slug
    )
    assert saved["geometry"]["coordinates"] == [4.65432, 45.12346]
