"""Small middlewares of the portal's HTTP layer (generic: no app of the portal is named)."""

from django.conf import settings

from .errors import error_response


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` (``settings.PERMISSIONS_POLICY``): the browser features no page
    of the portal uses are turned off for it and for anything it would frame."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response


def _has_nul(items):
    return any("\x00" in key or "\x00" in value for key, values in items for value in values)


class RejectNulInBackOfficeMiddleware:
    """In the back-office (``settings.NUL_CHECKED_PREFIXES``), a NUL byte in a query
    parameter or form field is a 400: PostgreSQL refuses NUL in text, and the admin's lists,
    filters and autocomplete would pass it on (a 500). Public pages clean their parameters
    themselves (``core.lenient``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(tuple(settings.NUL_CHECKED_PREFIXES)):
            if "\x00" in request.path or _has_nul(request.GET.lists()):
                return error_response(request, 400)
            if request.method == "POST" and _has_nul(request.POST.lists()):
                return error_response(request, 400)
        return self.get_response(request)
