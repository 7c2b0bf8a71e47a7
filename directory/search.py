"""Full-text search over PTCEs: the only module where SQLite and PostgreSQL differ.

PostgreSQL: a weighted ``search_vector`` (name A, summary B, the rest C) in the
``french_unaccent`` configuration (stemming without accents), ranked with ``ts_rank``;
``websearch_to_tsquery`` accepts any input safely. SQLite: every word of the query must appear
in ``search_text``, a lower-case accent-free copy of the same texts.

When the exact search finds nothing, ``approximate`` looks for names close to the query
(PostgreSQL trigram word similarity; SQLite ``difflib``) so that a typo still finds the PTCE.
"""

import difflib
from collections import defaultdict

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection, connections
from django.db.models import F, Q, Value

from core.text import normalize

CONFIG = "french_unaccent"
MAX_WORDS = 12
TRIGRAM_THRESHOLD = 0.4
DIFFLIB_THRESHOLD = 0.75


def is_postgresql():
    return connection.vendor == "postgresql"


def words(text):
    return normalize(text).split()[:MAX_WORDS]


def filter_text(queryset, text):
    """PTCEs matching every word of ``text``, annotated with ``relevance``."""
    if is_postgresql():
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        return queryset.filter(search_vector=query).annotate(
            relevance=SearchRank(F("search_vector"), query)
        )
    for word in words(text):
        queryset = queryset.filter(search_text__contains=word)
    return queryset.annotate(relevance=Value(1.0))


def approximate(queryset, text, limit=20):
    """PTCEs whose name is close to ``text`` (typos), best first, as a list of ids."""
    wanted = " ".join(words(text))
    if not wanted:
        return []
    if is_postgresql():
        # ``<%`` (``trigram_word_similar``) can use the trigram index of ``search_name``, a
        # test on the similarity's value cannot; the operator's threshold is a setting of
        # the session, set here to ours.
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [str(TRIGRAM_THRESHOLD)],
            )
        return list(
            queryset.filter(search_name__trigram_word_similar=wanted)
            .annotate(similarity=TrigramWordSimilarity(Value(wanted), "search_name"))
            .order_by("-similarity", "name")
            .values_list("pk", flat=True)[:limit]
        )
    scored = []
    # Names sharing at least one three-letter sequence with the query: a typo keeps most of
    # them, and comparing only those keeps difflib off the whole table.
    grams = {wanted[i : i + 3] for i in range(len(wanted) - 2)} - {"   "}
    if grams:
        shares = Q()
        for gram in sorted(grams)[:24]:
            shares |= Q(search_name__contains=gram)
        queryset = queryset.filter(shares)
    for pk, name in queryset.values_list("pk", "search_name"):
        score = max(
            [difflib.SequenceMatcher(None, wanted, name).ratio()]
            + [difflib.SequenceMatcher(None, wanted, word).ratio() for word in name.split()]
        )
        if score >= DIFFLIB_THRESHOLD:
            scored.append((-score, name, pk))
    return [pk for _, _, pk in sorted(scored)[:limit]]


def refresh_search_fields(ptce_ids):
    """Recompute the search columns of these PTCEs from their own fields, members, commune
    and département. Called after saves (signals) and after bulk imports."""
    from directory.models import Member, Ptce

    ptce_ids = list(ptce_ids)
    if not ptce_ids:
        return
    members = defaultdict(list)
    for ptce_id, name in Member.objects.filter(ptce_id__in=ptce_ids).values_list("ptce_id", "name"):
        members[ptce_id].append(name)
    rows = Ptce.objects.filter(pk__in=ptce_ids).values_list(
        "pk",
        "name",
        "summary",
        "description",
        "carrying_structure",
        "seat_commune__name",
        "departement__name",
    )
    updates = []
    fields = ["search_name", "search_document", "search_text"]
    for pk, name, summary, description, structure, commune, departement in rows:
        document = " ".join(
            part for part in (description, structure, *members[pk], commune, departement) if part
        )
        ptce = Ptce(
            pk=pk,
            search_name=normalize(name)[:200],
            search_document=document,
            search_text=normalize(f"{name} {summary} {document}"),
        )
        if is_postgresql():
            # Computed in the same UPDATE: one write per row (a second UPDATE would double
            # the dead rows PostgreSQL has to vacuum after a large import).
            ptce.search_vector = (
                SearchVector(Value(name), weight="A", config=CONFIG)
                + SearchVector(Value(summary or ""), weight="B", config=CONFIG)
                + SearchVector(Value(document), weight="C", config=CONFIG)
            )
        updates.append(ptce)
    if is_postgresql():
        fields.append("search_vector")
    Ptce.objects.bulk_update(updates, fields, batch_size=500)
