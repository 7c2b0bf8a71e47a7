"""django-csp's middleware with the policy built once: no page of the portal uses a nonce or
a policy of its own (there is no inline script), so every response gets the same header, and
building it again for each response cost a fifth of a cached page's time. A response marked
by django-csp's decorators still goes through django-csp itself.

Paths under ``settings.FRAMEABLE_PATHS`` (the embeddable map) get a second header, built
once too, whose ``frame-ancestors`` is ``*``: any site may frame them; every other response
keeps ``frame-ancestors 'none'``."""

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")


class PortalCSPMiddleware(CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self.header = build_policy()
        self.frameable_header = build_policy(replace={"frame-ancestors": ["*"]})
        self.frameable_paths = tuple(getattr(settings, "FRAMEABLE_PATHS", ()))

    def process_request(self, request):
        return None  # no nonce: no inline script anywhere

    def process_response(self, request, response):
        if any(getattr(response, name, None) for name in PER_RESPONSE):
            return super().process_response(request, response)
        if HEADER not in response:
            frameable = self.frameable_paths and request.path.startswith(self.frameable_paths)
            response[HEADER] = self.frameable_header if frameable else self.header
        return response
