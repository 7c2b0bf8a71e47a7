"""Settings for pytest: fast hashing, no remote resource."""

from .base import *  # noqa: F403
from .base import LEAFLET_CONFIG

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the finders (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests never fetch map tiles: a local blank tile stands in for the provider.
MAP_TILES_URL = "/static/img/blank-tile.png"
MAP_TILES_ATTRIBUTION = "Tuiles de test"
LEAFLET_CONFIG = {
    **LEAFLET_CONFIG,
    "TILES": [("Test", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})],
}
# Each test process keeps its own cache, whatever REDIS_URL says (tests that need Redis
# configure it themselves).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portail-ptce-tests",
        "TIMEOUT": 3600,
    }
}
