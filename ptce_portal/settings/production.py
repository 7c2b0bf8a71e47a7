"""Production: refuses to start without a real SECRET_KEY; HTTPS behind a proxy (nginx),
secure cookies, HSTS, a deadline for each request, hashed and compressed static files.

``manage.py check --deploy`` is clean but for two checks silenced on purpose (README,
"Mise en production"): W005 (HSTS for sub-domains) and W021 (HSTS preload) are decisions to
take once HTTPS is confirmed for the domain and its sub-domains: ``SECURE_HSTS_SECONDS``,
``SECURE_HSTS_INCLUDE_SUBDOMAINS`` and ``SECURE_HSTS_PRELOAD`` say so in the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list
from .storage import media_sources, storages_from_env

_key = os.environ.get("SECRET_KEY", "")
if len(_key) < 40 or _key.startswith("dev-only") or len(set(_key)) < 10:
    raise ImproperlyConfigured(
        "Production needs a real SECRET_KEY (at least 40 random characters) in the environment."
    )
SECRET_KEY = _key
DEBUG = env_bool("DEBUG", False)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS: nginx terminates TLS and says so with X-Forwarded-Proto; it also redirects port 80.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes of the load balancer, over HTTP
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# One hour until HTTPS is confirmed; then 31536000 (a year) and sub-domains.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
# nginx in front appends the client's address to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
# A request stops after this long (a database that hangs gives a 503, core/deadline.py).
REQUEST_DEADLINE_SECONDS = env_int("REQUEST_DEADLINE_SECONDS", 4)
REQUEST_DEADLINE_ADMIN_SECONDS = env_int("REQUEST_DEADLINE_ADMIN_SECONDS", 25)

# Logos on local disk (served by nginx at /media/), or in an S3-compatible bucket when
# AWS_STORAGE_BUCKET_NAME is set (storage.py); then the bucket's origin may serve images.
STORAGES = storages_from_env(
    {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += media_sources()  # noqa: F405
