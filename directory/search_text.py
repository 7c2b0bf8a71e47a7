"""The words of the directory's search, the same on both databases (pure Python).

Texts and queries are normalised first (``core.text.normalize``: lower case, no accents, only
letters and digits), so both databases see the same words: PostgreSQL gets the normalised
text in its ``french`` configuration (Snowball French stemmer and stop words), SQLite gets
the stems of the same Snowball French stemmer (``snowballstemmer``) computed here. Words
holding a digit are not stemmed (PostgreSQL's parser hands them to the ``simple``
dictionary).

Weights (the letters of PostgreSQL's ``setweight``): **A** the name; **B** themes, support
types received, carrying structure, members; **C** summary, stage, legal form; **D**
description, commune, département. A query word scores the weight of the best field it is
found in (``SCORES``); a PTCE's relevance is the sum over the query's words.
"""

import functools
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass

import snowballstemmer

from core.text import normalize

WEIGHTS = ("A", "B", "C", "D")
# PostgreSQL's default ``ts_rank`` weights (1.0, 0.4, 0.2, 0.1), as integers.
SCORES = {"A": 10, "B": 4, "C": 2, "D": 1}
MAX_WORDS = 12
MIN_SUGGESTED = 4

# French stop words, accents removed: words never searched (on either database) and never
# indexed on SQLite. PostgreSQL's ``french`` configuration drops the accent-free ones from
# its vectors as well; the others (été, même…) cannot reach it with their accents, so they
# are dropped from queries here.
_STOPWORD_LIST = """
    a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions
    aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayante ayantes
    ayants ayez ayons c ce ces d dans de des du elle en es est et etaient etais etait etant
    etante etantes etants ete etee etees etes etiez etions eu eue eues eumes eurent eus eusse
    eussent eusses eussiez eussions eut eutes eux fumes furent fus fusse fussent fusses
    fussiez fussions fut futes il j je l la le leur lui m ma mais me meme mes moi mon n ne
    nos notre nous on ont ou par pas pour qu que qui s sa se sera serai seraient serais
    serait seras serez seriez serions serons seront ses soient sois soit sommes son sont
    soyez soyons suis sur t ta te tes toi ton tu un une vos votre vous y
"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())

_WORD = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")
_local = threading.local()


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer


@functools.lru_cache(maxsize=50_000)
def stem(word):
    """The Snowball French stem of a normalised word (a word with a digit is kept whole)."""
    if _DIGIT.search(word):
        return word
    return _stemmer().stemWord(word)


def words(text):
    """The normalised words of ``text`` that are searched (stop words left out)."""
    return [word for word in normalize(text).split() if word not in STOPWORDS]


def query_words(text):
    """The words of a query, at most ``MAX_WORDS``."""
    return words(text)[:MAX_WORDS]


def weighted_texts(buckets):
    """``{"A": normalised text, ...}`` from ``{"A": [texts], ...}``: what PostgreSQL's
    vector is built from."""
    return {
        weight: normalize(" ".join(t for t in buckets.get(weight, ()) if t)) for weight in WEIGHTS
    }


def tagged_stems(buckets):
    """SQLite's search text: ``" a:stem b:stem … "``, each stem once, under the best weight
    it has (a query word is then found with ``LIKE '%:stem %'``, its weight with
    ``LIKE '% a:stem %'``)."""
    seen = set()
    tokens = []
    for weight, text in weighted_texts(buckets).items():
        for word in text.split():
            if word in STOPWORDS:
                continue
            stemmed = stem(word)
            if stemmed not in seen:
                seen.add(stemmed)
                tokens.append(f"{weight.lower()}:{stemmed}")
    return f" {' '.join(tokens)} " if tokens else ""


def surface_words(texts):
    """The distinct words of ``texts`` as written (lower case, accents kept), stop words and
    one-letter words left out, space-separated: a PTCE's part of the vocabulary offered for
    typos (``Vouliez-vous dire …``)."""
    found = {}
    for text in texts:
        for token in _WORD.findall(unicodedata.normalize("NFC", (text or "").lower())):
            plain = normalize(token)
            if len(plain) > 1 and " " not in plain and plain not in STOPWORDS:
                found.setdefault(plain, token)
    return " ".join(found.values())


@dataclass(frozen=True)
class Vocabulary:
    """The words of the published PTCEs: ``forms`` maps a normalised word to how it is
    written and ``counts`` to how many PTCEs have it; ``stems`` are the stems indexed for
    them (read from ``search_text``: nothing is stemmed again)."""

    forms: dict
    counts: Counter
    stems: frozenset

    @classmethod
    def from_rows(cls, rows):
        """From ``(search_document, search_text)`` pairs."""
        documents, tagged_texts = [], []
        for document, tagged in rows:
            documents.append(document or "")
            tagged_texts.append(tagged or "")
        # Split once over all PTCEs (in C, not a loop per PTCE: a third of the time at
        # 10,000); a document holds each of its words once, so this counts PTCEs.
        written = Counter(" ".join(documents).split())
        tokens = set(" ".join(tagged_texts).split())  # "a:stem" tokens
        stems = {token.partition(":")[2] for token in tokens} - {""}
        forms, counts, best = {}, Counter(), {}
        for token, count in written.items():
            plain = normalize(token)
            if not plain:
                continue
            counts[plain] += count
            # The commonest spelling (then the accented one) is the one offered.
            if plain not in best or (count, token) > best[plain]:
                best[plain] = (count, token)
                forms[plain] = token
        return cls(forms, counts, frozenset(stems))

    def knows(self, word):
        return stem(word) in self.stems

    def closest(self, word):
        """How to write the known word nearest to ``word`` (the smallest ``edit_distance``
        within ``max_edits``, then the most PTCEs, then alphabetical order), or None. A
        plural nearer without its last letter is offered in the singular when that searches
        the same (the same stem): "recyclrie" → "recyclerie" where only "recycleries" is
        written."""
        limit = max_edits(word)
        letters = set(word)
        best = None
        for candidate, count in self.counts.items():
            if len(candidate) < MIN_SUGGESTED or abs(len(candidate) - len(word)) > limit + 1:
                continue
            if len(letters.symmetric_difference(candidate)) > 2 * limit + 1:
                continue  # an edit changes at most two letters of the set
            distance = edit_distance(word, candidate, 2 * limit)
            single = False
            if candidate[-1] in "sx" and word[-1] not in "sx":
                shorter = edit_distance(word, candidate[:-1], 2 * limit)
                if shorter < distance:
                    distance, single = shorter, True
            if distance <= 2 * limit:
                rank = (distance, -count, candidate, single)
                if best is None or rank < best:
                    best = rank
        if best is None:
            return None
        _distance, _count, candidate, single = best
        written = self.forms[candidate]
        if single and stem(candidate[:-1]) == stem(candidate):
            return written[:-1]
        return written


def max_edits(word):
    """Edits allowed to correct a word: 1 up to 5 letters, 2 up to 10, 3 beyond."""
    return 1 if len(word) <= 5 else 2 if len(word) <= 10 else 3


def edit_distance(a, b, limit):
    """Edit distance in half-edits: a letter added, removed or replaced costs 2, two
    neighbouring letters swapped 1 (the commonest slip: "lanie" is nearer "laine" than
    "lance"); ``limit + 1`` as soon as it must exceed ``limit``."""
    before = None
    previous = list(range(0, 2 * len(b) + 1, 2))
    for i in range(1, len(a) + 1):
        row = [2 * i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 2
            value = min(previous[j] + 2, row[j - 1] + 2, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before[j - 2] + 1)
            row[j] = value
        if min(row) > limit:
            return limit + 1
        before, previous = previous, row
    return previous[-1]


def correct(text, vocabulary):
    """The query with each unknown word replaced by the closest known word, as the visitor
    would write it (``"pôle recyclrie"`` → ``"pôle recyclerie"``), or None when there is
    nothing to correct or no close word."""
    tokens = _WORD.findall(unicodedata.normalize("NFC", text.lower()))[: MAX_WORDS * 4]
    corrected = []
    changed = False
    for token in tokens:
        plain = normalize(token)
        if not plain or plain in STOPWORDS or _DIGIT.search(plain) or len(plain) < MIN_SUGGESTED:
            corrected.append(token)
            continue
        if " " in plain or vocabulary.knows(plain):
            corrected.append(token)
            continue
        replacement = vocabulary.closest(plain)
        if replacement is None:
            return None
        corrected.append(replacement)
        changed = True
    return " ".join(corrected) if changed else None
