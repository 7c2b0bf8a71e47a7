"""RSS and Atom feeds of newly published PTCEs (``django.contrib.syndication``):
``/ptce/flux/`` and ``/ptce/flux/atom/``. Only published PTCEs, ordered by their first
publication (``Ptce.published_at``). The territory feeds (``pages.feeds``) are these over
``Ptce.objects.published().in_territory(t)``.

A feed's bytes are cached by the cache rule (``core.cache.cached``), keyed by the feed, its
cleaned arguments and the scheme and host its absolute links are built with."""

from datetime import UTC, datetime

from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from core.cache import cached

from .models import Ptce

FEED_ITEMS = 30
# The date of a feed without any item when nothing was ever published (Django would say
# "now": a feed must not change while the data do not).
NOTHING_PUBLISHED = datetime(2026, 1, 1, tzinfo=UTC)


class StableDateMixin:
    """A feed generator whose date, without items, is the directory's last publication
    (``empty_feed_date``), never the time of the request."""

    def latest_post_date(self):
        if self.items:
            return super().latest_post_date()
        return self.feed["empty_feed_date"]


class StableRssFeed(StableDateMixin, Rss201rev2Feed):
    pass


class StableAtomFeed(StableDateMixin, Atom1Feed):
    pass


class CachedFeed(Feed):
    """A feed whose rendering is cached; ``cache_parts`` gives what, besides the public-data
    version, the feed depends on (cleaned values only)."""

    cache_name = None

    def cache_parts(self, *args, **kwargs):
        return ()

    def __call__(self, request, *args, **kwargs):
        parts = (request.scheme, request.get_host(), *self.cache_parts(*args, **kwargs))

        def render():
            response = super(CachedFeed, self).__call__(request, *args, **kwargs)
            return response["Content-Type"], response.content

        content_type, content = cached(self.cache_name, render, *parts)
        return HttpResponse(content, content_type=content_type)


class NewPtceFeed(CachedFeed):
    """The latest published PTCEs of the whole directory (RSS 2.0)."""

    cache_name = "directory:feed-rss"
    feed_type = StableRssFeed
    title = _("Portail des PTCE : nouveaux PTCE publiés")
    description = _(
        "Les pôles territoriaux de coopération économique publiés récemment dans l'annuaire."
    )

    def link(self):
        return reverse("directory:ptce-list")

    def base_queryset(self, obj):
        return Ptce.objects.published()

    def items(self, obj=None):
        queryset = self.base_queryset(obj).newly_published()
        return queryset.select_related("seat_commune", "departement").prefetch_related("themes")[
            :FEED_ITEMS
        ]

    def feed_extra_kwargs(self, obj):
        last = Ptce.objects.published().aggregate(last=Max("published_at"))["last"]
        return {"empty_feed_date": last or NOTHING_PUBLISHED}

    def item_title(self, item):
        return f"{item.name} — {item.place_label}"

    def item_description(self, item):
        return item.summary or item.description[:400]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


class NewPtceAtomFeed(NewPtceFeed):
    """The same as Atom 1.0."""

    cache_name = "directory:feed-atom"
    feed_type = StableAtomFeed
    subtitle = NewPtceFeed.description
