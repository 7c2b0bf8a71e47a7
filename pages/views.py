"""Home page, health check and territory pages."""

from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView

from collectivites.models import Territory, TerritoryKind
from directory.models import Ptce

from .stats import portal_numbers


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["numbers"] = portal_numbers()
        context["latest_ptces"] = (
            Ptce.objects.published().with_places().order_by("-updated_at", "name")[:6]
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


class TerritoryView(DetailView):
    template_name = "pages/territory.html"
    context_object_name = "territory"

    def get_object(self, queryset=None):
        kind, code = self.kwargs["kind"], self.kwargs["code"].upper()
        if kind not in TerritoryKind.values:
            raise Http404("Niveau de territoire inconnu.")
        try:
            return Territory.objects.with_ancestors().get(kind=kind, code=code)
        except Territory.DoesNotExist as error:
            raise Http404("Territoire inconnu.") from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        territory = self.object
        context["ptces"] = (
            Ptce.objects.published().in_territory(territory).with_places().order_by("name")
        )
        return context
