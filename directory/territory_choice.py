"""The territory box of the directory's filters without JavaScript.

The box (``territoire``, a commune or an EPCI typed by name or code) belongs to the filter
form; its button, the form's first, sends the whole form here. With the script, a suggestion
is chosen in the box and the form never comes here unless the typed text was not chosen.

- the name of the territory already applied, or nothing typed while one is applied and the
  box was emptied: the list with the filters as they are (emptied: without the territory);
- one commune or EPCI named exactly so (or a single match): the list filtered on it, the other
  filters kept (the other territory levels are replaced, as with the script);
- several: a page offering each of them, with the same filters;
- none (or unreadable input): a page saying so, with the box to try again.

``list_url_name`` says where the filters apply (the directory, or the map above it)."""

from django.http import HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from collectivites.filtering import resolve_territory
from collectivites.models import Territory, TerritoryKind
from collectivites.models.territory_search import EXACT, MAX_QUERY_LENGTH
from collectivites.queries import suggestions
from core.lenient import clean_text
from core.text import normalize

from .filters import TERRITORY_PARAMETERS

BOX = "territoire"
KINDS = [TerritoryKind.COMMUNE, TerritoryKind.EPCI]
CHOICES_LIMIT = 20
# What the box's submission carries besides the filters: never passed on to the list.
NOT_PASSED_ON = {BOX, "page"}


def applied_territory(params):
    """The commune or EPCI the form's filters hold (the finest), or None."""
    for name in ("commune", "epci"):
        value = clean_text(params.get(name, ""))
        if value:
            territory = resolve_territory(TERRITORY_PARAMETERS[name], value)
            if territory is not None:
                return territory
    return None


def candidates(text):
    """``(exact, others)``: communes and EPCI named exactly ``text`` (or having this code),
    then the other matches, best first."""
    found = list(Territory.objects.filter(kind__in=KINDS).search(text)[: CHOICES_LIMIT + 1])
    exact = [t for t in found if t.match_rank == EXACT]
    return exact, [t for t in found if t.match_rank != EXACT]


class TerritoryChoiceView(TemplateView):
    template_name = "directory/territory_choice.html"
    list_url_name = "directory:ptce-list"

    def get(self, request, *args, **kwargs):
        params = request.GET
        text = clean_text(params.get(BOX, ""))
        applied = applied_territory(params)
        if not text:
            return self.redirect(self.filters(params, drop_levels=("commune", "epci")))
        if applied is not None and normalize(text) == applied.search_name:
            return self.redirect(self.filters(params))
        if len(text) > MAX_QUERY_LENGTH:
            return self.render_to_response(self.choice_context(text[:40], [], too_long=True))
        exact, others = candidates(text)
        matches = exact or others
        if len(matches) == 1:
            return self.redirect(self.with_territory(params, matches[0]))
        return self.render_to_response(self.choice_context(text, matches[:CHOICES_LIMIT]))

    def filters(self, params, drop_levels=()):
        """The form's filters to pass on: the box and the page left out."""
        kept = QueryDict(mutable=True)
        for name, values in params.lists():
            if name in NOT_PASSED_ON or name in drop_levels:
                continue
            values = [v for v in values if clean_text(v)]
            if values:
                kept.setlist(name, values)
        return kept

    def with_territory(self, params, territory):
        kept = self.filters(params, drop_levels=tuple(TERRITORY_PARAMETERS))
        kept[territory.kind] = territory.code
        return kept

    def list_url(self, query):
        encoded = query.urlencode()
        return reverse(self.list_url_name) + (f"?{encoded}" if encoded else "")

    def redirect(self, query):
        return HttpResponseRedirect(self.list_url(query))

    def choice_context(self, text, matches, too_long=False):
        params = self.request.GET
        without = self.filters(params, drop_levels=("commune", "epci"))
        return self.get_context_data(
            query=text,
            too_long=too_long,
            choices=[
                (item, self.list_url(self.with_territory(params, territory)))
                for item, territory in zip(suggestions(matches), matches, strict=True)
            ],
            back_url=self.list_url(without),
            hidden_filters=[(name, value) for name, values in without.lists() for value in values],
            heading=_("Quel territoire ?") if matches else _("Territoire introuvable"),
        )


class TerritoryBoxMixin:
    """For a list whose filter form has the territory box: a submission that carries the box's
    text (without JavaScript, by the "Filtrer" button) goes through the territory choice
    first, so that a typed name is never silently dropped."""

    territory_choice_url_name = "directory:territory-choice"

    def get(self, request, *args, **kwargs):
        if BOX in request.GET:
            query = request.GET.urlencode()
            return HttpResponseRedirect(f"{reverse(self.territory_choice_url_name)}?{query}")
        return super().get(request, *args, **kwargs)
