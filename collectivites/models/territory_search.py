"""Finding territories by name or code, for the autocomplete and the territory finder.

Names are compared on ``search_name`` (lower case, no accents, words separated by single
spaces, see ``collectivites.text.normalize``), so « Saint-Étienne », « saint etienne » and
« SAINT ETIENNE » are the same query. Matches are ranked: exact name, then names starting
with the query, then names with a word starting with it, then names holding every word of
the query; ties go to the broadest level, then to the most populated territory.

A code is accepted too: INSEE commune or département code, SIREN of an EPCI, or a postcode
(communes whose postcodes hold it; a postcode's first three or four digits also match).

Only lookups every backend has (``=``, ``LIKE``) are used: SQLite scans its 36,000 rows in a
few milliseconds, PostgreSQL can use the trigram index on ``search_name`` (migration 0004).
"""

import re

from django.db.models import Case, F, IntegerField, Q, Value, When

from core.text import normalize

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
# Common abbreviations in French place names: « St-Étienne » is « Saint-Étienne ».
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}

_EPCI_CODE = re.compile(r"^\d{9}$")
_COMMUNE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_DEPARTEMENT_CODE = re.compile(r"^(\d{2}|2[AB]|97\d)$")
_POSTCODE_START = re.compile(r"^\d{3,5}$")

# Match ranks, best first.
EXACT, STARTS, WORD_STARTS, ALL_WORDS = range(4)


def query_variants(text):
    """The normalised query, and the same with abbreviations spelled out if any."""
    words = normalize(text[: MAX_QUERY_LENGTH * 2]).split()[:MAX_WORDS]
    if not words:
        return []
    variants = [" ".join(words)]
    expanded = " ".join(ABBREVIATIONS.get(word, word) for word in words)
    if expanded != variants[0]:
        variants.append(expanded)
    return variants


def _code_conditions(text):
    """``[(Q, rank), …]`` for a query that looks like a code or a postcode."""
    compact = re.sub(r"\s+", "", text).upper()
    conditions = []
    if _EPCI_CODE.match(compact):
        conditions.append((Q(kind="epci", code=compact), EXACT))
    if _COMMUNE_CODE.match(compact):
        conditions.append((Q(kind="commune", code=compact), EXACT))
    if _DEPARTEMENT_CODE.match(compact):
        conditions.append((Q(kind="departement", code=compact), EXACT))
    if _POSTCODE_START.match(compact):
        # ``postcodes`` is a JSON list of strings: « "03300" » in its text.
        conditions.append((Q(kind="commune", postcodes__icontains=f'"{compact}'), STARTS))
    return conditions


def _name_conditions(variants):
    """``[(Q, rank), …]`` for the words of the query, best rank first."""
    conditions = []
    for variant in variants:
        conditions.append((Q(search_name=variant), EXACT))
    for variant in variants:
        conditions.append((Q(search_name__startswith=variant), STARTS))
    for variant in variants:
        conditions.append((Q(search_name__contains=f" {variant}"), WORD_STARTS))
    for variant in variants:
        words = variant.split()
        if len(words) > 1:
            every_word = Q()
            for word in words:
                every_word &= Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
            conditions.append((every_word, ALL_WORDS))
    return conditions


def search_territories(queryset, text):
    """``queryset`` narrowed to the territories matching ``text``, best first, annotated with
    ``match_rank``; empty for a query with nothing to look for."""
    text = (text or "").replace("\x00", "")
    if len(text) > MAX_QUERY_LENGTH:
        return queryset.none()
    conditions = sorted(
        _code_conditions(text) + _name_conditions(query_variants(text)), key=lambda c: c[1]
    )
    if not conditions:
        return queryset.none()
    matches = Q()
    for condition, _rank in conditions:
        matches |= condition
    match_rank = Case(
        *[When(condition, then=Value(rank)) for condition, rank in conditions],
        default=Value(ALL_WORDS + 1),
        output_field=IntegerField(),
    )
    level_rank = Case(
        When(kind="region", then=Value(0)),
        When(kind="departement", then=Value(1)),
        When(kind="epci", then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        queryset.filter(matches)
        .annotate(match_rank=match_rank, level_rank=level_rank)
        .order_by(
            "match_rank", "level_rank", F("population").desc(nulls_last=True), "search_name", "pk"
        )
    )


def departement_codes(territories):
    """``{pk: ["03"], …}``: the départements each territory is or lies in (an EPCI may span
    several), in one query, to tell homonyms apart (« Saint-Denis (93) », « Saint-Denis
    (974) »)."""
    from .territory import TerritoryAncestry, TerritoryKind

    codes = {t.pk: [t.code] if t.kind == TerritoryKind.DEPARTEMENT else [] for t in territories}
    links = TerritoryAncestry.objects.filter(
        territory__in=[pk for pk, found in codes.items() if not found],
        ancestor__kind=TerritoryKind.DEPARTEMENT,
    ).order_by("ancestor__code")
    for pk, code in links.values_list("territory_id", "ancestor__code"):
        codes[pk].append(code)
    return codes
