"""The API's description: the OpenAPI 3 schema (drf-spectacular) at ``/api/v1/schema/`` and
its human documentation at ``/api/v1/docs/`` (Swagger UI, vendored under
``static/vendor/swagger-ui-dist/``, started by ``static/js/api-docs.js``: no inline script,
nothing from a CDN)."""

from django.views.generic import TemplateView
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView


class SchemaView(SpectacularAPIView):
    """The schema as JSON (``application/vnd.oai.openapi+json``), whatever ``Accept`` says."""

    renderer_classes = [OpenApiJsonRenderer]
    http_method_names = ["get", "head", "options"]


class DocsView(TemplateView):
    template_name = "api/docs.html"
    http_method_names = ["get", "head", "options"]
