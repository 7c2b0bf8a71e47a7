"""A small directory for the search tests, built the same on both databases, and what a
visitor reads of a search: the PTCEs listed (by slug, in order) and the « Vouliez-vous
dire … ? » suggestion with its link."""

import re
from html import unescape

from .directory_helpers import get_list, html_of, make_ptce

LAINE = "pole-laine-du-pays"
NAUTES = "les-econautes"
REMENDAIRES = "remendaires"
CALIFORNIE = "la-californie"
HABITAT = "pole-habitat-durable"
CONSTRUIRE = "construire-solidaire"
CULTURE = "culture-et-cooperation"
VELO = "atelier-velo"
NUMERIQUE = "tiers-lieu-numerique"
HIDDEN = "recyclerie-cachee"


def build_directory():
    """Nine published PTCEs and a draft, each findable by different fields (the factories'
    default summary and description are replaced, so only what is written here is
    searched)."""
    make_ptce(
        "Pôle Laine du Pays",
        summary="",
        description="Filière textile locale.",
        themes=["industrie-artisanat"],
        legal_form_slug="scic",
        stage_slug="developpement",
    )
    make_ptce(
        "Les écoNautes",
        summary="",
        description="Un pôle nautique qui recycle la laine des voiles.",
        themes=["economie-circulaire"],
        legal_form_slug="association",
        stage_slug="emergence",
    )
    make_ptce(
        "Remendaires",
        summary="",
        description="Trois recycleries gérées en chantier d'insertion.",
        carrying_structure="Calade",
        themes=["economie-circulaire", "insertion-emploi"],
        members=["Emmaüs Gard"],
    )
    make_ptce(
        "La Californie",
        summary="",
        description="Une ressourcerie et un tiers-lieu.",
        themes=["habitat", "economie-circulaire"],
        supports=["foncier-locaux"],
    )
    make_ptce(
        "Pôle Habitat Durable",
        summary="",
        description="Rénovation énergétique de logements.",
        themes=["habitat", "transition-energetique"],
        stage_slug="consolidation",
    )
    make_ptce(
        "Construire Solidaire",
        summary="",
        description="Chantiers de rénovation.",
        carrying_structure="Compagnons Bâtisseurs",
        themes=["habitat"],
        members=["Fédération du bâtiment"],
        supports=["investissement"],
        legal_form_slug="scop",
    )
    make_ptce(
        "Culture et Coopération",
        summary="Coopération culturelle entre associations.",
        description="",
        themes=["culture"],
        supports=["capital-scic"],
        legal_form_slug="scic",
    )
    make_ptce(
        "Atelier vélo",
        summary="",
        description="Économies circulaires et mobilités douces.",
        commune="03095",
        themes=["mobilite"],
        members=["Recyclerie du Vélo"],
    )
    make_ptce(
        "Tiers-lieu numérique",
        summary="Fabrique numérique.",
        description="",
        themes=["numerique"],
        stage_slug="gestation",
    )
    make_ptce(
        "Recyclerie cachée",
        status="draft",
        summary="Zanzibar, laine, habitat, ressourcerie.",
        description="Recyclerie et ressourceries du Zanzibar.",
        themes=["habitat", "economie-circulaire"],
        members=["Emmaüs Gard"],
        supports=["investissement"],
        legal_form_slug="scop",
        stage_slug="emergence",
    )


# Each query and the PTCEs it lists (in any order), the same on SQLite and PostgreSQL.
SHARED_QUERIES = {
    "habitat": {CALIFORNIE, HABITAT, CONSTRUIRE},
    "Habitats": {CALIFORNIE, HABITAT, CONSTRUIRE},
    "circulaire": {NAUTES, REMENDAIRES, CALIFORNIE, VELO},
    "circulaires": {NAUTES, REMENDAIRES, CALIFORNIE, VELO},
    "économie": {NAUTES, REMENDAIRES, CALIFORNIE, VELO},
    "recyclerie": {REMENDAIRES, VELO},
    "recycleries": {REMENDAIRES, VELO},
    "ressourcerie": {CALIFORNIE},
    "RESSOURCERIES": {CALIFORNIE},
    "pôle laine": {LAINE, NAUTES},
    "laine": {LAINE, NAUTES},
    "emmaus": {REMENDAIRES},
    "calade": {REMENDAIRES},
    "batisseurs": {CONSTRUIRE},
    "investissement": {CONSTRUIRE},
    "foncier locaux": {CALIFORNIE},
    "capital scic": {CULTURE},
    "scic": {LAINE, CULTURE},
    "scop": {CONSTRUIRE},
    "émergence": {NAUTES},
    "gestation": {NUMERIQUE},
    "consolidation": {HABITAT},
    "insertion": {REMENDAIRES},
    "coopération culture": {CULTURE},
    "mobilité": {VELO},
    "logement": {HABITAT},
    "rénovation": {HABITAT, CONSTRUIRE},
    "cusset": {VELO},
    "zanzibar": set(),
    "xylophone": set(),
}


def search(client, text, **params):
    return get_list(client, {"q": text, **params})


def slugs(response):
    """The slugs of the PTCEs listed, in the order shown."""
    found = re.findall(r'class="card__title"><a href="/ptce/([^/"]+)/">', html_of(response))
    return [unescape(slug) for slug in found]


def suggestion(response):
    """``(suggested text, link)`` of « Vouliez-vous dire … ? », or None."""
    match = re.search(
        r'<a href="([^"]*)" rel="nofollow">Vouliez-vous dire « (.*?) » \?</a>', html_of(response)
    )
    return (unescape(match.group(2)), unescape(match.group(1))) if match else None
