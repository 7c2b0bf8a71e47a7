"""What the directory's templates show about filters (active filter chips with the query
that removes each one) and about a PTCE (members by category, supports by collectivité)."""

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from .models import MemberCategory, Theme
from .models.ptce import prefetch_page
from .options import filter_options, option_rows
from .structured_data import organization_jsonld


@dataclass
class Chip:
    """An active filter; ``query`` is the query string without it (``{% querystring %}``)."""

    label: str
    query: QueryDict


def _query_without(params, name, value=None):
    query = params.copy()
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    query.pop("page", None)
    return query


def active_filters(filterset):
    params = filterset.form.data
    labels = {name: dict(items) for name, items in filter_options().items()}
    chips = []
    if params.get("q"):
        chips.append(Chip(_("« %(q)s »") % {"q": params["q"]}, _query_without(params, "q")))
    for name, territory in filterset.territories.items():
        chips.append(Chip(f"{territory.kind_label} : {territory}", _query_without(params, name)))
    for name, by_slug in labels.items():
        for value in params.getlist(name):
            chips.append(Chip(by_slug.get(value, value), _query_without(params, name, value)))
    if params.get("charter"):
        text = _("Charte signée") if params["charter"] == "oui" else _("Charte non signée")
        chips.append(Chip(text, _query_without(params, "charter")))
    if params.get("bbox"):
        chips.append(Chip(_("Zone de la carte"), _query_without(params, "bbox")))
    return chips


def suggestion_query(filterset):
    """The query string of the corrected search (``q`` replaced, the other filters kept, the
    page dropped), or None when the search was not corrected."""
    if not filterset.suggestion:
        return None
    query = _query_without(filterset.form.data, "q")
    query["q"] = filterset.suggestion
    return query


def members_by_category(ptce):
    """[(category label, [members])] in the categories' order; uses prefetched members."""
    groups = {value: [] for value in MemberCategory.values}
    for member in ptce.members.all():
        groups[member.category].append(member)
    labels = dict(MemberCategory.choices)
    return [(labels[value], members) for value, members in groups.items() if members]


def supports_by_collectivite(ptce):
    """[(collectivité, [supports])], collectivités ordered broadest first, then by name."""
    groups = {}
    for support in ptce.supports.all():
        groups.setdefault(support.collectivite, []).append(support)
    return sorted(groups.items(), key=lambda item: (item[0].rank, item[0].search_name))


def cards(queryset, limit=None):
    """The (first ``limit``) PTCEs of ``queryset.for_cards()`` as a list, each with its
    themes (in their display order) taken from the cached option lists: no query per card
    nor for themes."""
    order = [Theme(pk=pk, slug=slug, name=label) for pk, slug, label in option_rows()["theme"]]
    rows = queryset.for_cards()
    rows = list(rows[:limit] if limit else rows)
    for ptce in rows:
        ids = {int(value) for value in (ptce.theme_ids or "").split(",") if value}
        themes = Theme.objects.all()
        themes._result_cache = [theme for theme in order if theme.pk in ids]
        themes._prefetch_done = True
        ptce._prefetched_objects_cache = {"themes": themes}
    return rows


def page_details(ptce, absolute_url, region):
    """What a PTCE page shows beyond its row, computed when the cached rendering of the page
    is missing: its relations (``prefetch_page``), members by category, supports by
    collectivité and the JSON-LD."""
    prefetch_page([ptce])
    return {
        "members_by_category": members_by_category(ptce),
        "supports_by_collectivite": supports_by_collectivite(ptce),
        "jsonld": organization_jsonld(ptce, absolute_url, region),
    }
