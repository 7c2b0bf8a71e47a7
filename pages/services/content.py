"""Loading the portal's first content (``fixtures/content/seed.json``): supports,
experiences, schemes and resources from the guide "Collectivités & PTCE" (RTES and CRESS
Auvergne-Rhône-Alpes, May 2022).

Idempotent: entries are matched by slug (experiences, schemes), title (resources) or
collectivité + PTCE + type (supports) and updated in place. All or nothing.
"""

import json
from collections import Counter
from pathlib import Path

from django.db import transaction

from collectivites.models import Resource, Scheme, SupportType, Territory
from directory.models import Experience, Ptce, PtceStatus, Support


class ContentError(Exception):
    """The content file names something that does not exist."""


class _Resolver:
    def __init__(self):
        self.support_types = {st.slug: st for st in SupportType.objects.all()}

    def territory(self, ref, where):
        if ref is None:
            return None
        try:
            return Territory.objects.get(kind=ref["kind"], code=ref["code"])
        except Territory.DoesNotExist as error:
            raise ContentError(
                f"{where}: territoire {ref['kind']} {ref['code']} inconnu "
                "(lancez d'abord import_territories)."
            ) from error

    def ptce(self, ref, where):
        if ref is None:
            return None
        try:
            return Ptce.objects.get(name__iexact=ref["name"], departement__code=ref["departement"])
        except Ptce.DoesNotExist as error:
            raise ContentError(
                f"{where}: PTCE « {ref['name']} » ({ref['departement']}) inconnu "
                "(importez d'abord les PTCE)."
            ) from error

    def types(self, slugs, where):
        unknown = [slug for slug in slugs if slug not in self.support_types]
        if unknown:
            raise ContentError(f"{where}: types de soutien inconnus : {', '.join(unknown)}")
        return [self.support_types[slug] for slug in slugs]


def load_content(path: Path) -> Counter:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    counts = Counter()
    with transaction.atomic():
        resolve = _Resolver()
        for item in data.get("supports", []):
            where = f"soutien {item['collectivite']} → {item['ptce']['name']}"
            support_type = resolve.types([item["support_type"]], where)[0]
            values = {
                "description": item.get("description", ""),
                "start_year": item.get("start_year"),
                "end_year": item.get("end_year"),
                "source": item.get("source", data.get("source", "")),
            }
            _, created = Support.objects.update_or_create(
                collectivite=resolve.territory(item["collectivite"], where),
                ptce=resolve.ptce(item["ptce"], where),
                support_type=support_type,
                defaults=values,
                # The guide's content is published when first loaded; a later run keeps the
                # status a curator gave it.
                create_defaults={**values, "status": PtceStatus.PUBLISHED},
            )
            counts["soutiens créés" if created else "soutiens mis à jour"] += 1
        for item in data.get("experiences", []):
            where = f"expérience {item['slug']}"
            values = {
                "title": item["title"],
                "collectivite": resolve.territory(item["collectivite"], where),
                "ptce": resolve.ptce(item.get("ptce"), where),
                "summary": item["summary"],
                "body": item.get("body", ""),
                "quote": item.get("quote", ""),
                "quote_author": item.get("quote_author", ""),
                "quote_author_role": item.get("quote_author_role", ""),
                "year": item.get("year"),
                "source": item.get("source", data.get("source", "")),
            }
            experience, created = Experience.objects.update_or_create(
                slug=item["slug"],
                defaults=values,
                create_defaults={**values, "status": PtceStatus.PUBLISHED},
            )
            experience.support_types.set(resolve.types(item.get("support_types", []), where))
            counts["expériences créées" if created else "expériences mises à jour"] += 1
        for item in data.get("schemes", []):
            where = f"dispositif {item['slug']}"
            scheme, created = Scheme.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "owner": resolve.territory(item.get("owner"), where),
                    "description": item["description"],
                    "url": item.get("url", ""),
                    "start_year": item.get("start_year"),
                    "end_year": item.get("end_year"),
                    "ongoing": bool(item.get("ongoing", False)),
                    "source": item.get("source", data.get("source", "")),
                },
            )
            scheme.support_types.set(resolve.types(item.get("support_types", []), where))
            counts["dispositifs créés" if created else "dispositifs mis à jour"] += 1
        for position, item in enumerate(data.get("resources", []), start=1):
            _, created = Resource.objects.update_or_create(
                title=item["title"],
                defaults={
                    "url": item["url"],
                    "publisher": item.get("publisher", ""),
                    "description": item.get("description", ""),
                    "year": item.get("year"),
                    "position": position,
                },
            )
            counts["ressources créées" if created else "ressources mises à jour"] += 1
    return counts
