"""French grammar of place names: the article of a territory and of a collectivité, and the
forms it takes after « de », « à », « dans » or « en ».

A name is a ``Phrase``: its text and its article (``le``, ``la``, ``les``, ``l'`` or none).
``de`` and ``à`` contract with ``le`` and ``les`` (« du Finistère », « aux Abymes ») and
elide before a vowel (« d'Occitanie »). Territories give their article through INSEE's type
of name (TNCC, https://www.insee.fr/fr/information/2560625): départements and régions are
named without it (« Allier », TNCC 5 → « l'Allier »), communes with it (« Le Havre », TNCC 2
→ « du Havre », « au Havre »; « La Rochelle » keeps its capital: « de La Rochelle »).
Intercommunalités (EPCI) have no TNCC: their article comes from the first word of their
name (« CA Vichy Communauté » → « la CA Vichy Communauté »; « Metz Métropole » takes none).
Collectivités as institutions are named by their head noun: « le Département de l'Oise »,
« la Région Occitanie », « la Commune de Beauvais ».

Pure functions of plain values: the model (``Territory``) and the template filters
(``collectivites.templatetags.french``) call them.
"""

from dataclasses import dataclass

LE, LA, LES, L = "le", "la", "les", "l'"
REGION, DEPARTEMENT, EPCI, COMMUNE = "region", "departement", "epci", "commune"

# TNCC → (article written before a name given without it, article as written in a commune's
# name). 6 (« Aux »), 7 (« Las »), 8 (« Los ») only occur within communes' names.
_TNCC_ARTICLES = {0: "", 1: "", 2: LE, 3: LA, 4: LES, 5: L, 6: "aux", 7: "las", 8: "los"}

# Overseas collectivities that are neither régions nor départements (COM, Nouvelle-Calédonie,
# TAAF, Clipperton): the sources list each as both, with code 975–989.
OVERSEAS_COLLECTIVITY_CODES = frozenset({"975", "977", "978", "984", "986", "987", "988", "989"})

# Places whose article or preposition of place their TNCC does not give, by code (the same
# code for a région and its single département overseas): (article, « in » preposition); an
# article None is the one the TNCC gives (« la Guadeloupe », but « en Guadeloupe »).
_PLACE_EXCEPTIONS = {
    (REGION, "01"): (None, "en"),  # en Guadeloupe
    (REGION, "02"): (None, "en"),
    (REGION, "03"): (None, "en"),
    (REGION, "04"): ("", "à"),  # à La Réunion
    (REGION, "06"): ("", "à"),  # à Mayotte
    (DEPARTEMENT, "971"): (None, "en"),
    (DEPARTEMENT, "972"): (None, "en"),
    (DEPARTEMENT, "973"): (None, "en"),
    (DEPARTEMENT, "974"): ("", "à"),
    (DEPARTEMENT, "976"): ("", "à"),
    (DEPARTEMENT, "75"): ("", "à"),  # à Paris
    **{
        (kind, code): place
        for kind in (REGION, DEPARTEMENT)
        for code, place in {
            "975": ("", "à"),  # à Saint-Pierre-et-Miquelon
            "977": ("", "à"),
            "978": ("", "à"),
            "984": (LES, "dans"),  # dans les Terres australes et antarctiques françaises
            "986": ("", "à"),  # à Wallis et Futuna
            "987": (LA, "en"),  # en Polynésie française, de la Polynésie française
            "988": (LA, "en"),
            "989": (L, "sur"),  # sur l'Île de Clipperton
        }.items()
    },
}

# The collectivité behind a territory, when it is not « Région X », « Département de X »,
# « Commune de X »: (article, name). Keyed by (kind, code); overseas collectivities by code.
_AUTHORITY_EXCEPTIONS = {
    (REGION, "02"): (LA, "Collectivité territoriale de Martinique"),
    (DEPARTEMENT, "972"): (LA, "Collectivité territoriale de Martinique"),
    (REGION, "03"): (LA, "Collectivité territoriale de Guyane"),
    (DEPARTEMENT, "973"): (LA, "Collectivité territoriale de Guyane"),
    (REGION, "06"): (LE, "Département de Mayotte"),
    (REGION, "94"): (LA, "Collectivité de Corse"),
    (DEPARTEMENT, "75"): (LA, "Ville de Paris"),
    **{
        (kind, code): authority
        for kind in (REGION, DEPARTEMENT)
        for code, authority in {
            "975": (LA, "Collectivité territoriale de Saint-Pierre-et-Miquelon"),
            "977": (LA, "Collectivité de Saint-Barthélemy"),
            "978": (LA, "Collectivité de Saint-Martin"),
            "984": (LES, "Terres australes et antarctiques françaises"),
            "986": (LE, "Territoire des îles Wallis et Futuna"),
            "987": (LA, "Polynésie française"),
            "988": (LA, "Nouvelle-Calédonie"),
            "989": (L, "Île de Clipperton"),
        }.items()
    },
}

# First words of EPCI names that take « la » (all are feminine: communauté, métropole…).
_EPCI_FEMININE = ("CA", "CC", "CU", "Communauté", "Métropole", "Agglomération", "Agglo")
_EPCI_ELIDED = ("Eurométropole", "Agglomération", "Agglo")
_VOWELS = "aeiouyàâäéèêëîïôöùûüœæhAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆH"


def starts_with_vowel(text):
    """« Occitanie », « Île-de-France », « Hérault » (every h is taken as mute)."""
    return bool(text) and text[0] in _VOWELS


@dataclass(frozen=True)
class Phrase:
    """A noun phrase: ``text`` and the ``article`` it takes (``le``, ``la``, ``les``,
    ``l'`` or ``""``). ``written`` is true when the text already begins with its article, as
    communes' names do (« Le Havre »): the article is then contracted from the text."""

    text: str
    article: str = ""
    written: bool = False

    @property
    def bare(self):
        """The text without a written article: « Havre » for « Le Havre »."""
        if not self.written:
            return self.text
        return self.text[len(self.article) :].lstrip(" ")

    def the(self):
        """« le Finistère », « l'Allier », « Le Havre », « Cusset »."""
        if self.written or not self.article:
            return self.text
        if self.article == L:
            return f"l'{self.text}"
        return f"{self.article} {self.text}"

    def of(self):
        """« du Finistère », « de l'Allier », « du Havre », « des Abymes », « d'Occitanie »,
        « de La Rochelle »."""
        return self._after("de")

    def to(self):
        """« au Mans », « aux Abymes », « à l'Allier », « à la Commune de Beauvais »."""
        return self._after("à")

    def _after(self, preposition):
        article = self.article.lower()
        contracted = {
            ("de", LE): "du",
            ("de", LES): "des",
            ("à", LE): "au",
            ("à", LES): "aux",
            ("de", "aux"): "des",
            ("à", "aux"): "aux",
        }.get((preposition, article))
        if contracted:
            return f"{contracted} {self.bare}"
        if self.written or article:
            return f"{preposition} {self.the()}"
        if preposition == "de" and starts_with_vowel(self.text):
            return f"d'{self.text}"
        return f"{preposition} {self.text}"


def territory_phrase(kind, code, name, tncc):
    """The name of a territory with its article."""
    if kind == EPCI:
        return Phrase(name, epci_article(name))
    exception = _PLACE_EXCEPTIONS.get((kind, code))
    if exception and exception[0] is not None:
        return Phrase(name, exception[0])
    article = _TNCC_ARTICLES.get(tncc if tncc is not None else 0, "")
    if kind == COMMUNE or _has_article(name, article):
        written = _has_article(name, article)
        return Phrase(name, article if written else "", written)
    if article in ("aux", "las", "los"):  # only met within communes' names
        return Phrase(name)
    return Phrase(name, article)


def _has_article(name, article):
    if not article:
        return False
    lowered = name.lower()
    if article == L:
        return lowered.startswith(L)
    return lowered.startswith(f"{article} ")


def epci_article(name):
    """« la » for « CA … », « CC … », « Métropole de Lyon », « l' » for « Eurométropole de
    Strasbourg », none for « Metz Métropole »."""
    first = name.split(" ", 1)[0] if name else ""
    if first.startswith(_EPCI_ELIDED):
        return L
    if first in _EPCI_FEMININE or first.startswith(_EPCI_FEMININE[3:]):
        return LA
    return ""


def in_place(kind, code, name, tncc):
    """« en Occitanie », « dans le Grand Est », « dans l'Allier », « à Cusset », « au Havre »,
    « dans la CA Vichy Communauté », « à Paris », « en Guadeloupe »."""
    phrase = territory_phrase(kind, code, name, tncc)
    exception = _PLACE_EXCEPTIONS.get((kind, code))
    preposition = exception[1] if exception else None
    if preposition == "à" or (preposition is None and kind == COMMUNE):
        return phrase.to()
    if preposition in ("en", "sur", "dans"):
        return f"{preposition} {phrase.the() if preposition != 'en' else phrase.text}"
    if kind == REGION and phrase.article in ("", LA, L):
        return f"en {phrase.text}"
    return f"dans {phrase.the()}"


def authority_phrase(kind, code, name, tncc):
    """The collectivité behind a territory, with its article: « Département de l'Oise »
    (le), « Région Occitanie » (la), « Commune de Beauvais » (la), an EPCI by its name."""
    exception = _AUTHORITY_EXCEPTIONS.get((kind, code))
    if exception:
        return Phrase(exception[1], exception[0])
    if kind == REGION:
        return Phrase(f"Région {name}", LA)
    if kind == DEPARTEMENT:
        return Phrase(f"Département {territory_phrase(kind, code, name, tncc).of()}", LE)
    if kind == COMMUNE:
        return Phrase(f"Commune {territory_phrase(kind, code, name, tncc).of()}", LA)
    return territory_phrase(kind, code, name, tncc)


# --- any text: for names the portal does not know the article of ---------------------------
def of_text(text):
    """« de » before any name: « d'Oïkos », « du Havre » for « Le Havre », « des Abymes »."""
    return _text_phrase(text).of()


def to_text(text):
    """« à » before any name: « au Mans » for « Le Mans », « à Cusset »."""
    return _text_phrase(text).to()


def _text_phrase(text):
    text = str(text or "")
    for article in (LES, LE, LA):
        if text.startswith(f"{article.capitalize()} "):
            return Phrase(text, article, written=True)
    if text.startswith(("L'", "L’")):
        return Phrase(text, L, written=True)
    return Phrase(text)
