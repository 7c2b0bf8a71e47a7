"""Full-text search over PTCEs: the only module where SQLite and PostgreSQL differ.

What is searched and how it is weighed is in ``directory.search_text`` (the same Python for
both databases). Here:

- PostgreSQL: ``search_vector``, one ``setweight(to_tsvector('french', …))`` per weight over
  the normalised texts, GIN-indexed; a query is a ``to_tsquery('french', 'w1 & w2')`` built
  from the normalised words (safe: letters and digits only), its relevance the weight of the
  best field of each word (``'w:A'``, ``'w:B'``… restricted to one weight).
- SQLite: ``search_text``, the stems of the same words tagged with their best weight
  (``" a:pol a:lain b:habitat … "``); a word is found with ``LIKE '%:stem %'``, its weight
  with ``LIKE '% a:stem %'``.

A search is tried as written, then corrected against the vocabulary of the published PTCEs
(``recyclrie`` → « Vouliez-vous dire recyclerie ? »): ``plan``.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from core.cache import cached
from core.text import normalize

from .search_text import (
    SCORES,
    WEIGHTS,
    Vocabulary,
    correct,
    query_words,
    stem,
    surface_words,
    tagged_stems,
    weighted_texts,
)

CONFIG = "french"


def is_postgresql():
    return connection.vendor == "postgresql"


# --- matching and ranking -----------------------------------------------------------------
def _tsquery(text):
    return SearchQuery(text, config=CONFIG, search_type="raw")


def _found(word, weight=None, vector=None):
    """The condition "``word`` is in the PTCE's search columns" (in the field of ``weight``
    when given). ``vector``: search ``search_vector`` (PostgreSQL, the default there) or the
    stems of ``search_text`` (SQLite's way, which PostgreSQL can run as well: tests compare
    the two)."""
    if is_postgresql() if vector is None else vector:
        return Q(search_vector=_tsquery(f"{word}:{weight}" if weight else word))
    tag = f" {weight.lower()}:" if weight else ":"
    return Q(search_text__contains=f"{tag}{stem(word)} ")


def matching(words, vector=None):
    """The condition "every word is found"."""
    if is_postgresql() if vector is None else vector:
        return Q(search_vector=_tsquery(" & ".join(words)))
    condition = Q()
    for word in words:
        condition &= _found(word, vector=False)
    return condition


def relevance(words, vector=None):
    """For each word, the score of the best field holding it (name 10, themes/supports/
    structure/members 4, summary/stage/legal form 2, description and places 1), summed."""
    total = None
    for word in words:
        score = Case(
            *[When(_found(word, weight, vector), then=Value(SCORES[weight])) for weight in WEIGHTS],
            default=Value(0),
            output_field=IntegerField(),
        )
        total = score if total is None else total + score
    return total if total is not None else Value(0, output_field=IntegerField())


def search(queryset, words, vector=None):
    """The PTCEs of ``queryset`` holding every word, annotated with ``relevance``."""
    if not words:  # the FilterSet ignores such a query; never a different answer per database
        return queryset.annotate(relevance=Value(0, output_field=IntegerField()))
    return queryset.filter(matching(words, vector)).annotate(relevance=relevance(words, vector))


@dataclass(frozen=True)
class SearchPlan:
    """What a query searches: its ``words``, and the ``suggestion`` searched instead when
    the query as typed finds nothing."""

    words: tuple
    suggestion: str = ""

    def apply(self, queryset):
        return search(queryset, list(self.words))


def plan(queryset, text):
    """The words as typed when they find a PTCE of ``queryset``, else the corrected query
    when it does (one ``EXISTS`` query each, the second only when needed)."""
    words = query_words(text)
    if not words or queryset.filter(matching(words)).exists():
        return SearchPlan(tuple(words))
    corrected = suggestion(text)
    if corrected:
        corrected_words = query_words(corrected)
        if corrected_words and queryset.filter(matching(corrected_words)).exists():
            return SearchPlan(tuple(corrected_words), suggestion=corrected)
    return SearchPlan(tuple(words))


# --- typos: the vocabulary of the published PTCEs -------------------------------------------
def vocabulary():
    """Every word indexed for the published PTCEs (``search_document``), cached until public
    data change."""
    from .models import Ptce

    def compute():
        rows = Ptce.objects.published().values_list("search_document", "search_text")
        return Vocabulary.from_rows(rows.iterator(chunk_size=2000))

    return cached("directory:search-vocabulary", compute)


def suggestion(text):
    """The query corrected against the vocabulary (``"recyclrie"`` → ``"recyclerie"``), or
    ``""``; cached by query until public data change."""
    cleaned = " ".join(text.lower().split())
    return cached(
        "directory:search-suggestion", lambda: correct(cleaned, vocabulary()) or "", cleaned
    )


# --- the search columns ---------------------------------------------------------------------
@dataclass(frozen=True)
class Sources:
    """Where the indexed texts are read: the models (live or a migration's)."""

    ptces: object
    members: object
    theme_links: object
    supports: object  # the published supports only

    @classmethod
    def live(cls):
        from .models import Member, Ptce, Support

        return cls(
            Ptce.objects, Member.objects, Ptce.themes.through.objects, Support.objects.published()
        )


def indexed_texts(ptce_ids, sources):
    """``{pk: (name, {"A": [texts], "B": …})}`` for these PTCEs (four queries)."""
    related = defaultdict(list)
    members = sources.members.filter(ptce_id__in=ptce_ids).values_list("ptce_id", "name")
    themes = sources.theme_links.filter(ptce_id__in=ptce_ids).values_list("ptce_id", "theme__name")
    supports = sources.supports.filter(ptce_id__in=ptce_ids).values_list(
        "ptce_id", "support_type__title", "support_type__short_title"
    )
    for ptce_id, *texts in [*members, *themes, *supports]:
        related[ptce_id].extend(texts)
    rows = sources.ptces.filter(pk__in=ptce_ids).values_list(
        "pk",
        "name",
        "summary",
        "description",
        "carrying_structure",
        "stage__name",
        "legal_form__name",
        "seat_commune__name",
        "departement__name",
    )
    texts = {}
    for pk, name, summary, description, structure, stage, form, commune, dep in rows:
        texts[pk] = (
            name,
            {
                "A": [name],
                "B": [structure, *related[pk]],
                "C": [summary, stage, form],
                "D": [description, commune, dep],
            },
        )
    return texts


def refresh_search_fields(ptce_ids, sources=None):
    """Recompute the search columns of these PTCEs. Called by the signals (a PTCE, its
    themes, members, supports, a reference label) and after bulk imports, one batch at a
    time."""
    ptce_ids = list(ptce_ids)
    if not ptce_ids:
        return
    sources = sources or Sources.live()
    postgresql = is_postgresql()
    updates = []
    for pk, (name, buckets) in indexed_texts(ptce_ids, sources).items():
        ptce = sources.ptces.model(
            pk=pk,
            search_name=normalize(name)[:200],
            search_document=surface_words(t for texts in buckets.values() for t in texts),
            search_text=tagged_stems(buckets),
        )
        if postgresql:
            # Computed in the same UPDATE: one write per row (a second UPDATE would double
            # the dead rows PostgreSQL has to vacuum after a large import).
            vectors = [
                SearchVector(Value(text), weight=weight, config=CONFIG)
                for weight, text in weighted_texts(buckets).items()
            ]
            ptce.search_vector = vectors[0] + vectors[1] + vectors[2] + vectors[3]
        updates.append(ptce)
    fields = ["search_name", "search_document", "search_text"]
    if postgresql:
        fields.append("search_vector")
    sources.ptces.bulk_update(updates, fields, batch_size=500)
