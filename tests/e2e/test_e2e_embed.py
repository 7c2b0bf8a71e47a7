"""The embeddable map in a real browser, framed by a page of ANOTHER origin (a CRESS's site):
a tiny ``http.server`` on ``localhost`` serves a page holding two iframes of the portal
(``127.0.0.1``): the embed, whose map and list render inside the frame, and a normal page,
which the browser refuses to frame (``X-Frame-Options: DENY``, ``frame-ancestors 'none'``).
"""

import functools
import http.server
import threading
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

HOST_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Site d'une CRESS</title></head>
<body>
<h1>Les PTCE de notre région</h1>
<iframe id="embed" src="{portal}/embed/carte/?region=84" title="Carte des PTCE"
        width="800" height="600"></iframe>
<iframe id="normal" src="{portal}/ptce/" title="Annuaire" width="800" height="300"></iframe>
</body></html>
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def other_origin(tmp_path, live_portal):
    """``http://localhost:<port>/``: another origin than the portal's ``127.0.0.1``."""
    (tmp_path / "cress.html").write_text(HOST_PAGE.format(portal=live_portal), encoding="utf-8")
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_embed_renders_inside_a_frame_of_another_origin(page, live_portal, other_origin):
    # The harness lets through the portal only: this other origin is allowed here (a page
    # route comes before the harness's context route).
    page.route(f"{other_origin}/**", lambda route: route.continue_())
    embed_responses = []
    page.on(
        "response",
        lambda r: embed_responses.append(r) if urlsplit(r.url).path == "/embed/carte/" else None,
    )

    page.goto(f"{other_origin}/cress.html")
    assert urlsplit(page.url).netloc != urlsplit(live_portal).netloc

    frame = page.frame_locator("#embed")
    map_box = frame.locator("#embed-map")
    expect(map_box).to_have_attribute("data-status", "ready")
    assert int(map_box.get_attribute("data-points")) > 0
    expect(frame.locator(".leaflet-marker-icon").first).to_be_visible()
    expect(frame.locator("#embed-list li").first).to_be_visible()
    assert frame.locator("#embed-list li").count() > 0
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("Tuiles de test")
    back = frame.locator(".embed__title a")
    expect(back).to_have_attribute("target", "_blank")
    expect(back).to_have_attribute("rel", "noopener")

    (response,) = embed_responses
    headers = response.all_headers()
    assert "x-frame-options" not in headers
    assert "frame-ancestors *" in headers["content-security-policy"]
    assert "set-cookie" not in headers


def test_a_normal_page_refuses_to_be_framed_by_another_origin(page, other_origin):
    page.route(f"{other_origin}/**", lambda route: route.continue_())

    page.goto(f"{other_origin}/cress.html")
    expect(page.frame_locator("#embed").locator("#embed-map")).to_have_attribute(
        "data-status", "ready"
    )

    normal = page.locator("#normal").element_handle().content_frame()
    assert normal is not None
    # The browser shows its own error page in place of the portal's.
    assert not normal.url.startswith("http://127.0.0.1"), normal.url
    assert normal.locator("text=Annuaire des PTCE").count() == 0
