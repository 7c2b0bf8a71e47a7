"""The public API (``api/``): Django REST framework, its OpenAPI schema (drf-spectacular) and
CORS (django-cors-headers) on ``/api/`` only. See README.md, "API"."""

from django.utils.translation import gettext_lazy as _

REST_FRAMEWORK = {
    # JSON only: no browsable API (its pages carry inline scripts the CSP refuses).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.JsonOnlyNegotiation",
    "DEFAULT_PARSER_CLASSES": [],  # read-only
    "DEFAULT_AUTHENTICATION_CLASSES": [],  # public data, no session, no CSRF
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": [],  # the portal's own limit (core/ratelimit.py)
    "URL_FORMAT_OVERRIDE": None,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API du Portail des PTCE",
    "DESCRIPTION": _(
        "Données publiques du Portail des PTCE (Pôles Territoriaux de Coopération "
        "Économique) : les PTCE publiés, les territoires, les retours d'expérience, les "
        "dispositifs et les types de soutien. Lecture seule (GET), sans authentification, "
        'CORS ouvert. Les erreurs ont toutes la forme {"error": message, "parameter": '
        "nom}. Les réponses portent ETag et Last-Modified (304 sur If-None-Match ou "
        "If-Modified-Since). Nombre de requêtes limité par minute et par adresse "
        "(429 avec Retry-After). Données sous Licence Ouverte 2.0."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": False,
    "SERVERS": [],
    "DISABLE_ERRORS_AND_WARNINGS": False,
    "ENUM_NAME_OVERRIDES": {},
    "COMPONENT_NO_READ_ONLY_REQUIRED": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

# CORS: any origin may read /api/ (GET, HEAD, OPTIONS), never with credentials.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 86400
