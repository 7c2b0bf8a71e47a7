"""The API v1's errors in the portal's one shape (``api.responses.error_response``):
``{"error": message, "parameter": name}``, ``parameter`` only when one parameter is at
fault; ``Cache-Control: no-store``. REST framework's own errors (404, 405…) get the same
shape through ``exception_handler`` (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as rest_exception_handler

# Headers of REST framework's error responses worth keeping (405's Allow, 429's Retry-After).
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class InvalidParameter(exceptions.APIException):
    """A query parameter whose value cannot be used: 400 naming it."""

    status_code = 400
    default_code = "invalid_parameter"

    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter


def describe(detail):
    """One message from a REST framework error detail (a string, a list or a dict)."""
    if isinstance(detail, dict):
        detail = next(iter(detail.values()), "")
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
    return str(detail)


def exception_handler(exc, context):
    response = rest_exception_handler(exc, context)
    if response is None:  # not an API error: Django's handler500 answers (JSON, core/errors.py)
        return None
    message = describe(getattr(exc, "detail", "")) or _("Requête invalide.")
    body = {"error": message}
    parameter = getattr(exc, "parameter", None)
    if parameter is not None:
        body["parameter"] = parameter
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    headers["Cache-Control"] = "no-store"
    return Response(body, status=response.status_code, headers=headers)
