"""Error pages in the portal's style, and 503 when the database is out of reach.

``handler500`` (see ``ptce_portal/urls.py``) is called with the exception being handled: a
database that refuses connections, drops them or does not answer in time (``OperationalError``,
``InterfaceError``, ``DeadlineExceeded``) is a service outage, not a bug: 503 with
``Retry-After``, the connections closed so that the next request opens fresh ones (service
resumes by itself when the database returns). Pages under ``/api/`` and other JSON endpoints
get JSON. Nothing internal is shown: no exception text, no setting, no path."""

import logging
import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.views.decorators.csrf import requires_csrf_token

from .deadline import DeadlineExceeded

logger = logging.getLogger("core.errors")
UNAVAILABLE = (OperationalError, InterfaceError, DeadlineExceeded)
RETRY_AFTER_SECONDS = 30
JSON_PREFIXES = ("/api/", "/territoires/recherche.json")
MESSAGES = {
    400: "Requête invalide.",
    403: "Accès refusé.",
    404: "Page introuvable.",
    429: "Trop de demandes. Réessayez plus tard.",
    500: "Une erreur est survenue. Elle a été enregistrée.",
    503: "Service momentanément indisponible. Réessayez dans un instant.",
}


def wants_json(request):
    return request.path.startswith(JSON_PREFIXES)


def _close_connections():
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:  # a broken connection may fail to close: drop it
            logger.warning("closing a database connection failed", exc_info=True)


def error_response(request, status):
    """The error page (or JSON) for ``status``, rendered without the database."""
    if wants_json(request):
        response = JsonResponse(
            {"error": MESSAGES[status]}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    else:
        template = loader.get_template(f"{status}.html")
        response = TemplateResponse(request, template)
        response.status_code = status
        response.render()
    response["Cache-Control"] = "no-store"
    # Also when answered before the clickjacking middleware (a NUL byte, a bad host).
    response["X-Frame-Options"] = "DENY"
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@requires_csrf_token
def server_error(request):
    error = sys.exc_info()[1]
    if isinstance(error, UNAVAILABLE):
        _close_connections()
        logger.warning("database unavailable: %s", type(error).__name__)
        return error_response(request, 503)
    return error_response(request, 500)


@requires_csrf_token
def bad_request(request, exception=None):
    return error_response(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return error_response(request, 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return error_response(request, 404)
