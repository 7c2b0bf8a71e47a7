"""Content negotiation of the API: always JSON (the first renderer), whatever ``Accept``
says: there is no other representation, and a client asking for ``text/html`` gets JSON
rather than a 406."""

from rest_framework.negotiation import BaseContentNegotiation


class JsonOnlyNegotiation(BaseContentNegotiation):
    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type
