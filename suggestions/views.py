"""``/proposer/`` (a new PTCE), ``/ptce/<slug>/corriger/`` (a correction of a published
one) and the confirmation page. Nothing a visitor sends is published: it waits for a curator.

These pages carry a CSRF token (a cookie, ``Vary: Cookie``) and are marked ``never_cache``:
the whole-page cache (``core.response_cache``) never stores them."""

from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from core.throttle import ThrottledFormMixin
from directory.models import Ptce

from . import throttle
from .fields import current_values, differences
from .forms import HONEYPOT, SuggestionForm
from .models import Suggestion, SuggestionKind
from .signals import suggestion_received


@method_decorator(never_cache, name="dispatch")
class ProposeView(ThrottledFormMixin, FormView):
    """A new PTCE."""

    throttle = throttle.THROTTLE
    honeypot_field = HONEYPOT
    throttled_message = gettext_lazy(
        "Vous avez déjà envoyé %(count)s propositions dans l'heure : c'est le "
        "maximum. Réessayez plus tard, ou écrivez-nous."
    )

    form_class = SuggestionForm
    template_name = "suggestions/propose.html"
    kind = SuggestionKind.NEW
    ptce = None

    def form_valid(self, form):
        values = form.proposed_values()
        message = form.cleaned_data["message"]
        unchanged = self.ptce is not None and not differences(values, current_values(self.ptce))
        if unchanged and not message:
            form.add_error(None, _("Modifiez au moins une information, ou écrivez un message."))
            return self.form_invalid(form)
        departement = self.ptce.departement if self.ptce else form.departement_territory
        with transaction.atomic():
            suggestion = Suggestion.objects.create(
                kind=self.kind,
                ptce=self.ptce,
                departement=departement,
                values=values,
                message=message,
                proposer_name=form.cleaned_data["proposer_name"],
                proposer_email=form.cleaned_data["proposer_email"],
                ip_hash=self.digest,
            )
            transaction.on_commit(
                lambda: suggestion_received.send(Suggestion, suggestion=suggestion)
            )
        self.throttle.record(self.digest)
        return redirect("suggestions:thanks")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(ptce=self.ptce, kind=self.kind)
        return context


class CorrectView(ProposeView):
    """A correction of a published PTCE, the form starting from its current values."""

    template_name = "suggestions/correct.html"
    kind = SuggestionKind.CORRECTION

    def dispatch(self, request, *args, **kwargs):
        self.ptce = get_object_or_404(
            Ptce.objects.published().select_related("seat_commune", "departement"),
            slug=kwargs["slug"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return current_values(self.ptce)


@method_decorator(never_cache, name="dispatch")
class ThanksView(TemplateView):
    template_name = "suggestions/thanks.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(directory_url=reverse("directory:ptce-list"), **kwargs)
