"""Public pages of the directory."""

from django.views.generic import DetailView

from .models import Ptce


class PtceDetailView(DetailView):
    """A published PTCE; drafts, reviews and archived entries are 404 for the public."""

    template_name = "directory/ptce_detail.html"
    context_object_name = "ptce"

    def get_queryset(self):
        return Ptce.objects.published().with_places().select_related("legal_form")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ptce = self.object
        region = ptce.departement.region
        trail = [t for t in (region, ptce.departement, ptce.seat_commune) if t is not None]
        context.update(
            region=region,
            trail=trail,
            supports=ptce.supports.select_related("collectivite", "support_type"),
        )
        return context
