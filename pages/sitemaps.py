"""``/sitemap.xml`` (``django.contrib.sitemaps``): the pages of published PTCEs (with the
date of their last change), of the territories where there are published PTCEs (régions and
départements all), and of the guide for collectivités. Drafts never appear."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import reverse

from collectivites.models import SupportType, Territory, TerritoryAncestry, TerritoryKind
from directory.models import Ptce


class PtceSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Ptce.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class TerritorySitemap(Sitemap):
    """Every région and département, and the EPCIs and communes related to a published PTCE
    (its seat commune and what contains it, its territories of action)."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        published = Ptce.objects.published()
        seats = published.filter(seat_commune__isnull=False).values("seat_commune_id")
        acting = Ptce.action_territories.through.objects.filter(
            ptce__in=published.values("pk")
        ).values("territory_id")
        containing = TerritoryAncestry.objects.filter(territory_id__in=seats).values("ancestor_id")
        wanted = (
            Q(kind__in=[TerritoryKind.REGION, TerritoryKind.DEPARTEMENT])
            | Q(pk__in=seats)
            | Q(pk__in=acting)
            | Q(pk__in=containing)
        )
        return Territory.objects.filter(wanted).only("kind", "code").order_by("kind", "code")


class GuideSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return ["pages:support-guide", *SupportType.objects.order_by("slug")]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()


class HomeSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        return ["pages:home", "directory:ptce-list", "pages:map", "pages:territory-index"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "accueil": HomeSitemap,
    "ptce": PtceSitemap,
    "territoires": TerritorySitemap,
    "guide": GuideSitemap,
}
