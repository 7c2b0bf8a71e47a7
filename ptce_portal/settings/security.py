"""HTTP security and abuse settings shared by every environment (production tightens the
transport ones: see production.py)."""

from datetime import timedelta

from csp.constants import NONE, SELF

from .env import env_int, env_list


# --- Content-Security-Policy (django-csp): no inline script anywhere, so no nonce ------------
def tile_sources(tiles_url):
    """The map tiles' origin (the only remote resource), for ``img-src``: ``{s}``
    sub-domains become a wildcard; a relative URL (tests) needs nothing."""
    if "://" not in tiles_url:
        return []
    scheme, rest = tiles_url.split("://", 1)
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return [f"{scheme}://{host}"]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # + the tiles' origin, added in base.py
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The one page other sites may frame (the embeddable map, pages/embed_views.py): CSP
# ``frame-ancestors *`` there (core/csp.py), no X-Frame-Options (xframe_options_exempt).
FRAMEABLE_PATHS = ["/embed/"]
# Browser features no page uses: off for the portal and anything it would frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
LOGIN_REDIRECT_URL = "admin:index"
LOGIN_URL = "admin:login"

# --- Clients behind proxies -----------------------------------------------------------------
# How many proxies (nginx: 1) append to X-Forwarded-For in front of the portal (core/http.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Login throttling (django-axes) ---------------------------------------------------------
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Locked per IP address and, separately, per username (a distributed attack on one account).
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.http.axes_client_ip"
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_VERBOSE = False

# --- Rate limits of the JSON endpoints (core/ratelimit.py): requests per window, per IP -------
RATE_LIMITS = {
    "/api/": (env_int("API_RATE_LIMIT", 120, 1), 60),
    "/territoires/recherche.json": (env_int("AUTOCOMPLETE_RATE_LIMIT", 240, 1), 60),
    # Whole-directory files, produced on demand (a client's current copy is a cheap 304).
    "/ptce/export.": (env_int("EXPORT_RATE_LIMIT", 30, 1), 60),
    # Password reset e-mails: anyone may ask for a curator's address; no mailbox flooding.
    "/admin/password_reset/": (5, 3600, {"POST"}),
    "/compte/password_reset/": (5, 3600, {"POST"}),
}

# --- Back-office input (core/middleware.py) ---------------------------------------------------
NUL_CHECKED_PREFIXES = ["/admin/"]

# --- Whole-page cache for anonymous visitors (core/response_cache.py) -----------------------
RESPONSE_CACHE_ENABLED = True
RESPONSE_CACHE_EXCLUDED_PREFIXES = [
    "/admin/",
    "/api/",
    "/territoires/recherche.json",
    "/healthz",
    "/readyz",
    "/static/",
    "/media/",
    *env_list("RESPONSE_CACHE_EXCLUDED_PREFIXES", []),
]
# Query parameters that make a different page; any other is ignored by the pages, so a
# request carrying one may read a cached page but never stores one.
RESPONSE_CACHE_PARAMETERS = {
    "q",
    "region",
    "departement",
    "epci",
    "commune",
    "theme",
    "support",
    "stage",
    "legal_form",
    "charter",
    "sort",
    "page",
    "bbox",
    "level",
    "open",
    "kind",
}
