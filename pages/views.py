"""Home page (territory pages: ``territory_views``; health checks: ``core.health``)."""

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
