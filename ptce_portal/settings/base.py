"""Settings shared by every environment. Values that differ between machines come from the
environment (see README.md, "Configuration")."""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .. import links
from .api import *  # noqa: F403 - REST framework, OpenAPI schema, CORS of /api/
from .env import cache_from_env, database_from_env, env_bool, env_int, env_list
from .security import *  # noqa: F403 - headers, CSP, throttling, response cache
from .security import tile_sources

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "ptce_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # /sitemap.xml (pages/sitemaps.py)
    "django.contrib.postgres",
    "django_filters",
    "leaflet",
    "csp",
    "axes",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    # The portal's apps, ground floor first (docs/architecture.md): each imports only those
    # listed before it.
    "core",
    "collectivites",
    "directory",
    "pages",
    "api",
    "backoffice",
    "suggestions",  # read by the back-office's moderation queue (docs/architecture.md)
    "alerts",  # e-mail alerts of new PTCEs (on top; the back-office shows counts only)
]

MIDDLEWARE = [
    # Health probes first: before the host check, redirects, caches (core/health.py).
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Everything below runs within the request's deadline (core/deadline.py).
    "core.deadline.RequestDeadlineMiddleware",
    "core.csp.PortalCSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    # CORS headers of /api/ (also on its 304s and 429s), preflight requests answered here.
    "corsheaders.middleware.CorsMiddleware",
    "core.middleware.RejectNulInBackOfficeMiddleware",
    "core.ratelimit.RateLimitMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Whole public pages for anonymous visitors: a hit stops here (core/response_cache.py).
    "core.response_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The author of each history record (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "ptce_portal.urls"
# The portal's address, for links written outside a request (e-mails, commands).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Portail des PTCE <ne-pas-repondre@localhost>"
)
# The SMTP server, when EMAIL_BACKEND is Django's smtp backend (docs/deployment.md, section 14).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Shown in every page's footer and on the admin's login page (to ask for an account).
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "contact@ptce.example.org")
# The legal notice (/mentions-legales/): organisations and roles, never a private person.
SITE_PUBLISHER = os.environ.get(
    "SITE_PUBLISHER", "Structure éditrice à renseigner (SITE_PUBLISHER)"
)
SITE_PUBLISHER_ADDRESS = os.environ.get("SITE_PUBLISHER_ADDRESS", "")
SITE_PUBLICATION_DIRECTOR = os.environ.get(
    "SITE_PUBLICATION_DIRECTOR", "la présidence de la structure éditrice"
)
SITE_HOST = os.environ.get("SITE_HOST", "Hébergeur à renseigner (SITE_HOST)")
SITE_HOST_ADDRESS = os.environ.get("SITE_HOST_ADDRESS", "")
# Pages of ground-floor models built by upper apps (see ptce_portal/links.py).
ABSOLUTE_URL_OVERRIDES = {
    "collectivites.territory": links.territory_url,
    "collectivites.supporttype": links.support_type_url,
}
# Keys every cached value (core.cache); empty: a digest of the code, templates and static files.
RELEASE = os.environ.get("RELEASE", "")
WSGI_APPLICATION = "ptce_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ptce_portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(BASE_DIR)}
# A request stops after this many seconds (0: never), so that a hung database gives a 503.
REQUEST_DEADLINE_SECONDS = env_int("REQUEST_DEADLINE_SECONDS", 0)
REQUEST_DEADLINE_ADMIN_SECONDS = env_int("REQUEST_DEADLINE_ADMIN_SECONDS", 0)
# /readyz fails when the cache fails (core/health.py: set false behind a load balancer).
READY_REQUIRES_CACHE = env_bool("READY_REQUIRES_CACHE", True)
CACHES = cache_from_env()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files served by Django: development only (dev.py); nginx does it in production.
SERVE_MEDIA = False

# Vendored data read by the portal (built by scripts/build_territories.py).
TERRITORY_FIXTURES_DIR = BASE_DIR / "fixtures" / "territories"
CONTENT_FIXTURES_DIR = BASE_DIR / "fixtures" / "content"

# Map tiles: the only remote resource. Switch provider with these two variables.
MAP_TILES_URL = os.environ.get(
    "MAP_TILES_URL", "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png"
)
MAP_TILES_ATTRIBUTION = os.environ.get(
    "MAP_TILES_ATTRIBUTION",
    '&copy; les contributeurs d\'<a href="https://www.openstreetmap.org/copyright">'
    "OpenStreetMap</a>, fond OSM France",
)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += tile_sources(MAP_TILES_URL)  # noqa: F405
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (46.6, 2.4),
    "DEFAULT_ZOOM": 5,
    "MIN_ZOOM": 2,
    "MAX_ZOOM": 18,
    "TILES": [(_("Plan"), MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})],
    "RESET_VIEW": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
