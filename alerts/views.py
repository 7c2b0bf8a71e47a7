"""``/alertes/`` (subscribe), ``/alertes/verifiez/`` (« vérifiez votre boîte »: the address
is never echoed), ``/alertes/confirmer/<token>/`` (double opt-in: a button, so that a mail
scanner following the link confirms nothing) and ``/alertes/desabonner/<token>/`` (one
click: a GET unsubscribes; a POST too, for ``List-Unsubscribe-Post``).

The form pages carry a CSRF token and are ``never_cache``; the page linking here (a
territory's, ``/ptce/``) has a plain GET form and stays cacheable."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from core.throttle import ThrottledFormMixin

from . import services, throttle
from .forms import HONEYPOT, SubscriptionForm, parse_territory
from .tokens import TokenError, confirm_days, read_confirm_token, read_unsubscribe_token


@method_decorator(never_cache, name="dispatch")
class SubscribeView(ThrottledFormMixin, FormView):
    throttle = throttle.THROTTLE
    honeypot_field = HONEYPOT
    throttled_message = gettext_lazy(
        "Vous avez déjà fait %(count)s demandes d'abonnement dans l'heure : c'est "
        "le maximum. Réessayez plus tard."
    )
    form_class = SubscriptionForm
    template_name = "alerts/subscribe.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        kwargs["preset"] = parse_territory(source.get("territoire", ""))
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        services.subscribe(data["email"], data["territoire"], data["theme"], self.digest)
        self.throttle.record(self.digest)
        return redirect("alerts:check-mailbox")

    def get_context_data(self, **kwargs):
        return super().get_context_data(confirm_days=confirm_days(), **kwargs)


@method_decorator(never_cache, name="dispatch")
class CheckMailboxView(TemplateView):
    template_name = "alerts/check_mailbox.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(confirm_days=confirm_days(), **kwargs)


class TokenPageMixin:
    """Reads the token of the URL; a bad or expired one gets a clear page (400 or 410)."""

    def token_problem(self, error):
        context = {"expired": error.expired, "confirm_days": confirm_days()}
        return self.render_problem(context, status=410 if error.expired else 400)

    def render_problem(self, context, status):
        return TemplateResponse(self.request, "alerts/bad_link.html", context, status=status)


@method_decorator(never_cache, name="dispatch")
class ConfirmView(TokenPageMixin, TemplateView):
    template_name = "alerts/confirm.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            key = read_confirm_token(kwargs["token"])
        except TokenError as error:
            return self.token_problem(error)
        self.subscription = services.subscription_by_key(key)
        if self.subscription is None:  # purged, or unsubscribed meanwhile
            return self.token_problem(TokenError(expired=True))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        services.confirm(self.subscription)
        return self.render_to_response(self.get_context_data(done=True))

    def get_context_data(self, **kwargs):
        subscription = self.subscription
        return super().get_context_data(
            territory=subscription.territory,
            theme=subscription.theme,
            already=subscription.confirmed_at is not None and not kwargs.get("done"),
            **kwargs,
        )


@method_decorator([never_cache, csrf_exempt], name="dispatch")
class UnsubscribeView(TokenPageMixin, View):
    """One click: the signed token is the authority (no CSRF token: a mail client posts
    ``List-Unsubscribe=One-Click`` itself)."""

    http_method_names = ["get", "post", "head"]

    def dispatch(self, request, *args, **kwargs):
        try:
            key = read_unsubscribe_token(kwargs["token"])
        except TokenError as error:
            return self.token_problem(error)
        if request.method == "HEAD":
            return super().dispatch(request, *args, **kwargs)
        services.unsubscribe(key)
        return TemplateResponse(request, "alerts/unsubscribed.html", {})

    def head(self, request, *args, **kwargs):
        return HttpResponse()
