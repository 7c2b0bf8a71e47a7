"""Production: refuses to start without a real SECRET_KEY; secure cookies and HSTS."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool

_key = os.environ.get("SECRET_KEY", "")
if len(_key) < 40 or _key.startswith("dev-only") or len(set(_key)) < 10:
    raise ImproperlyConfigured(
        "Production needs a real SECRET_KEY (at least 40 random characters) in the environment."
    )
SECRET_KEY = _key
DEBUG = env_bool("DEBUG", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
