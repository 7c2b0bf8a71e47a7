"""PostgreSQL's search (its ``french`` configuration over ``search_vector``) and SQLite's (the
Snowball stems of ``search_text``) give the same answers. PostgreSQL holds both columns, so
both ways are compared here on the same rows: the shared queries, and every word of the
portal's real first content (``fixtures/content``)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from directory.models import Ptce
from directory.search import search, vocabulary
from directory.search_text import query_words, stem
from directory.services.ptce_import import import_ptce_csv

from .directory_helpers import is_postgresql
from .search_helpers import SHARED_QUERIES, build_directory

pytestmark = pytest.mark.django_db
CONTENT = Path(settings.BASE_DIR) / "fixtures" / "content"


@pytest.fixture
def postgresql(db):
    if not is_postgresql():
        pytest.skip("compares PostgreSQL's own search with SQLite's way, on PostgreSQL")


def lexemes(word):
    with connection.cursor() as cursor:
        cursor.execute("SELECT array(SELECT lexeme FROM unnest(to_tsvector('french', %s)))", [word])
        return cursor.fetchone()[0]


def listed(words, vector):
    queryset = search(Ptce.objects.published(), words, vector=vector)
    return list(queryset.order_by("-relevance", "search_name", "pk").values_list("slug", flat=True))


def test_postgresql_stems_the_shared_queries_as_snowball_does(postgresql):
    for text in SHARED_QUERIES:
        for word in query_words(text):
            assert lexemes(word) == [stem(word)], word


def test_postgresql_drops_no_word_that_sqlite_keeps(postgresql):
    build_directory()
    kept = {
        word
        for words in Ptce.objects.values_list("search_document", flat=True)
        for word in words.split()
    }
    for word in sorted(kept):
        plain = query_words(word)
        assert not plain or lexemes(plain[0]), f"{word}: a stop word for PostgreSQL only"


def test_both_ways_list_the_same_ptces_in_the_same_order(postgresql):
    build_directory()
    for text in SHARED_QUERIES:
        words = query_words(text)
        assert listed(words, vector=True) == listed(words, vector=False), text


def test_both_ways_agree_on_every_word_of_the_real_content(postgresql):
    for name in ("ptce-reference.csv", "ptce-more.csv"):
        result = import_ptce_csv(CONTENT / name)
        assert not result.errors
    words = sorted(vocabulary().forms)
    assert len(words) > 500
    # Where PostgreSQL's Snowball release and snowballstemmer's stem a word differently
    # (a few demonyms: "calais", "yonnaise"), the two ways may differ for that stem only.
    differ = [word for word in words if lexemes(word) not in ([], [stem(word)])]
    assert len(differ) <= len(words) // 100, differ
    unsure = {stem(word) for word in differ} | {lexemes(word)[0] for word in differ}

    disagree = []
    for word in words:
        if stem(word) in unsure or any(lexeme in unsure for lexeme in lexemes(word)):
            continue
        if listed([word], vector=True) != listed([word], vector=False):
            disagree.append(word)
    assert disagree == []
