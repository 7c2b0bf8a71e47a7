"""Home page and health check (territory pages: ``territory_views``)."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from directory.models import Ptce
from directory.presenters import cards

from .stats import portal_numbers


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["numbers"] = portal_numbers()
        context["latest_ptces"] = cards(
            Ptce.objects.published().order_by("-updated_at", "name"), limit=6
        )
        return context


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
