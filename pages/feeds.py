"""The feeds of a territory's newly published PTCEs: ``/territoires/<kind>/<code>/flux/``
(RSS) and ``…/flux/atom/``, over the PTCEs the territory's page lists
(``Ptce.objects.published().in_territory(t)``: up and down the hierarchy)."""

from django.http import Http404
from django.utils.translation import gettext as _

from collectivites.models import Territory, TerritoryKind
from directory.feeds import NewPtceFeed, StableAtomFeed
from directory.models import Ptce


def territory_key(kind, code):
    """``(kind, CODE)`` when they may name a territory, else a 404 (as the page does)."""
    code = code.upper()
    if kind not in TerritoryKind.values or len(code) > 9 or not code.isalnum():
        raise Http404(_("Territoire inconnu."))
    return kind, code


class TerritoryPtceFeed(NewPtceFeed):
    cache_name = "pages:territory-feed-rss"

    def cache_parts(self, kind, code):
        return territory_key(kind, code)

    def get_object(self, request, kind, code):
        kind, code = territory_key(kind, code)
        territory = Territory.objects.filter(kind=kind, code=code).first()
        if territory is None:
            raise Http404(_("Territoire inconnu."))
        return territory

    def base_queryset(self, obj):
        return Ptce.objects.published().in_territory(obj)

    def title(self, obj):
        return _("Nouveaux PTCE %(place)s — Portail des PTCE") % {"place": obj.in_name}

    def description(self, obj):
        text = _("Les pôles territoriaux de coopération économique publiés récemment %(place)s.")
        return text % {"place": obj.in_name}

    def link(self, obj):
        return obj.get_absolute_url()


class TerritoryPtceAtomFeed(TerritoryPtceFeed):
    cache_name = "pages:territory-feed-atom"
    feed_type = StableAtomFeed

    def subtitle(self, obj):
        return self.description(obj)
