"""French that reads right: every page that names a territory or a collectivité gives it its
article, contracted or elided (« le Département de l'Oise », « au Havre », « dans la CA
Vichy Communauté »), for every INSEE type of name (TNCC 0–8) and every kind of EPCI name."""

import re
from html import unescape

import pytest
from django.template import Context, Template

from collectivites.grammar import of_text, to_text
from collectivites.models import Territory, TerritoryKind

from .factories import (
    ExperienceFactory,
    PtceFactory,
    SchemeFactory,
    SupportFactory,
    commune,
    departement,
    epci,
    support_type,
)

COMMUNE, DEPARTEMENT, EPCI, REGION = (
    TerritoryKind.COMMUNE,
    TerritoryKind.DEPARTEMENT,
    TerritoryKind.EPCI,
    TerritoryKind.REGION,
)

# (kind, code, the, of, in, the collectivité) — real territories of the COG, one per type of
# name, and the kinds of EPCI names.
TRICKY = [
    (COMMUNE, "03095", "Cusset", "de Cusset", "à Cusset", "la Commune de Cusset"),  # TNCC 0
    (
        COMMUNE,
        "01004",
        "Ambérieu-en-Bugey",
        "d'Ambérieu-en-Bugey",
        "à Ambérieu-en-Bugey",
        "la Commune d'Ambérieu-en-Bugey",
    ),  # TNCC 1
    (COMMUNE, "76351", "Le Havre", "du Havre", "au Havre", "la Commune du Havre"),  # 2
    (COMMUNE, "72181", "Le Mans", "du Mans", "au Mans", "la Commune du Mans"),
    (
        COMMUNE,
        "43157",
        "Le Puy-en-Velay",
        "du Puy-en-Velay",
        "au Puy-en-Velay",
        "la Commune du Puy-en-Velay",
    ),
    (
        COMMUNE,
        "17300",
        "La Rochelle",
        "de La Rochelle",
        "à La Rochelle",
        "la Commune de La Rochelle",
    ),  # 3
    (COMMUNE, "97101", "Les Abymes", "des Abymes", "aux Abymes", "la Commune des Abymes"),  # 4
    (
        COMMUNE,
        "93039",
        "L'Île-Saint-Denis",
        "de L'Île-Saint-Denis",
        "à L'Île-Saint-Denis",
        "la Commune de L'Île-Saint-Denis",
    ),  # 5
    (COMMUNE, "60703", "Aux Marais", "des Marais", "aux Marais", "la Commune des Marais"),  # 6
    (COMMUNE, "66104", "Los Masos", "de Los Masos", "à Los Masos", "la Commune de Los Masos"),
    (COMMUNE, "60057", "Beauvais", "de Beauvais", "à Beauvais", "la Commune de Beauvais"),
    (
        DEPARTEMENT,
        "60",
        "l'Oise",
        "de l'Oise",
        "dans l'Oise",
        "le Département de l'Oise",
    ),
    (
        DEPARTEMENT,
        "29",
        "le Finistère",
        "du Finistère",
        "dans le Finistère",
        "le Département du Finistère",
    ),
    (
        DEPARTEMENT,
        "92",
        "les Hauts-de-Seine",
        "des Hauts-de-Seine",
        "dans les Hauts-de-Seine",
        "le Département des Hauts-de-Seine",
    ),
    (
        DEPARTEMENT,
        "26",
        "la Drôme",
        "de la Drôme",
        "dans la Drôme",
        "le Département de la Drôme",
    ),
    (DEPARTEMENT, "75", "Paris", "de Paris", "à Paris", "la Ville de Paris"),
    (
        DEPARTEMENT,
        "971",
        "la Guadeloupe",
        "de la Guadeloupe",
        "en Guadeloupe",
        "le Département de la Guadeloupe",
    ),
    (REGION, "76", "Occitanie", "d'Occitanie", "en Occitanie", "la Région Occitanie"),
    (
        REGION,
        "11",
        "Île-de-France",
        "d'Île-de-France",
        "en Île-de-France",
        "la Région Île-de-France",
    ),
    (REGION, "44", "le Grand Est", "du Grand Est", "dans le Grand Est", "la Région Grand Est"),
    (
        REGION,
        "32",
        "les Hauts-de-France",
        "des Hauts-de-France",
        "dans les Hauts-de-France",
        "la Région Hauts-de-France",
    ),
    (REGION, "04", "La Réunion", "de La Réunion", "à La Réunion", "la Région La Réunion"),
    (REGION, "94", "Corse", "de Corse", "en Corse", "la Collectivité de Corse"),
    (
        EPCI,
        "200071363",
        "la CA Vichy Communauté",
        "de la CA Vichy Communauté",
        "dans la CA Vichy Communauté",
        "la CA Vichy Communauté",
    ),
    (
        EPCI,
        "200046977",
        "la Métropole de Lyon",
        "de la Métropole de Lyon",
        "dans la Métropole de Lyon",
        "la Métropole de Lyon",
    ),
    (
        EPCI,
        "246700488",
        "l'Eurométropole de Strasbourg",
        "de l'Eurométropole de Strasbourg",
        "dans l'Eurométropole de Strasbourg",
        "l'Eurométropole de Strasbourg",
    ),
    (
        EPCI,
        "200039865",
        "Metz Métropole",
        "de Metz Métropole",
        "dans Metz Métropole",
        "Metz Métropole",
    ),
    (
        EPCI,
        "200059889",
        "la CU Grand Paris Seine et Oise",
        "de la CU Grand Paris Seine et Oise",
        "dans la CU Grand Paris Seine et Oise",
        "la CU Grand Paris Seine et Oise",
    ),
]

# What a sentence must never hold.
WRONG = [
    re.compile(pattern)
    for pattern in (
        r"\b[dD]e (le|les|Le|Les|Aux) ",
        r"\b[àÀ] (le|les|Le|Les|Aux) ",
        r"\bde (Département|Région|Commune|Ville|Collectivité)\b",
        r"\bque (Département|Région|Commune|Ville|Collectivité|CA|CC|CU|Métropole)\b",
        r"\bauxquels (Département|Région|Commune|CA|CC|CU|Métropole)\b",
        r"\bCeux de (Département|Région|Commune|CA|CC|CU)\b",
        r"\bdans (CA|CC|CU|Métropole|Eurométropole)\b",
        r"\bde (CA|CC|CU) ",
        r"\b[dD]e [AEIOUÉÎ][a-zé]",  # « de Occitanie », « de Oise »: elision missed
    )
]


def territory_of(kind, code):
    return Territory.objects.get(kind=kind, code=code)


def plain(response):
    """The page's text and attributes (titles, meta descriptions, labels), entities decoded,
    spaces collapsed."""
    html = unescape(response.content.decode())
    return re.sub(r"\s+", " ", html)


def mistakes(text):
    return [match.group(0) for pattern in WRONG for match in pattern.finditer(text)]


@pytest.mark.parametrize(("kind", "code", "the", "of", "in_", "authority"), TRICKY)
def test_each_kind_of_name_takes_its_article(db, kind, code, the, of, in_, authority):
    territory = territory_of(kind, code)

    assert territory.the_name == the
    assert territory.of_name == of
    assert territory.in_name == in_
    assert territory.the_authority == authority


def test_the_collectivite_after_de_and_a(db):
    oise, beauvais, vichy = departement("60"), commune("60057"), epci("200071363")

    assert oise.of_authority == "du Département de l'Oise"
    assert oise.to_authority == "au Département de l'Oise"
    assert beauvais.of_authority == "de la Commune de Beauvais"
    assert beauvais.to_authority == "à la Commune de Beauvais"
    assert vichy.to_authority == "à la CA Vichy Communauté"
    assert oise.authority_name == "Département de l'Oise"  # a label keeps no article


@pytest.mark.parametrize(
    ("tncc", "name", "of", "to"),
    [
        (0, "Vernon", "de Vernon", "à Vernon"),
        (1, "Orange", "d'Orange", "à Orange"),
        (2, "Le Bourg", "du Bourg", "au Bourg"),
        (3, "La Ferté", "de La Ferté", "à La Ferté"),
        (4, "Les Essarts", "des Essarts", "aux Essarts"),
        (5, "L'Isle", "de L'Isle", "à L'Isle"),
        (6, "Aux Champs", "des Champs", "aux Champs"),
        (7, "Las Brujas", "de Las Brujas", "à Las Brujas"),
        (8, "Los Pinos", "de Los Pinos", "à Los Pinos"),
    ],
)
def test_every_type_of_name_of_a_new_commune(db, tncc, name, of, to):
    created = Territory.objects.create(kind=COMMUNE, code="99990", name=name, tncc=tncc)

    assert created.of_name == of
    assert created.to_name == to
    assert created.in_name == to


@pytest.mark.parametrize(
    ("name", "article_form"),
    [
        ("CC du Pays de Saugues", "dans la CC du Pays de Saugues"),
        ("Communauté de communes du Haut-Doubs", "dans la Communauté de communes du Haut-Doubs"),
        ("Toulouse Métropole", "dans Toulouse Métropole"),
        ("Agglomération du Choletais", "dans l'Agglomération du Choletais"),
    ],
)
def test_epci_names_give_their_article(db, name, article_form):
    created = Territory.objects.create(kind=EPCI, code="999999999", name=name)

    assert created.in_name == article_form


def test_template_filters_read_territories_and_plain_names(db):
    rendered = Template(
        "{% load french %}{{ t|de }} / {{ t|a }} / {{ t|dans }} / {{ t|collectivite }} / "
        "{{ t|collectivite:'de' }} / {{ 'Le Havre'|de }} / {{ 'Les Abymes'|a }}"
    ).render(Context({"t": departement("60")}))

    assert unescape(rendered) == (
        "de l'Oise / à l'Oise / dans l'Oise / le Département de l'Oise / "
        "du Département de l'Oise / du Havre / aux Abymes"
    )
    assert of_text("Oïkos") == "d'Oïkos" and to_text("Le Mans") == "au Mans"


@pytest.fixture
def tricky_content(db):
    """Each tricky territory owns a scheme, gives a support to a published PTCE and tells an
    experience; the PTCEs sit in tricky communes."""
    content = []
    for index, (kind, code, *_forms) in enumerate(TRICKY):
        territory = territory_of(kind, code)
        seat = commune(code) if kind == COMMUNE else None
        ptce = PtceFactory(
            name=f"Pôle témoin {index}",
            seat_commune=seat,
            departement=(seat.departement if seat else territory.departement) or departement("03"),
        )
        scheme = SchemeFactory(name=f"Dispositif témoin {index}", owner=territory)
        support = SupportFactory(
            ptce=ptce, collectivite=territory, support_type=support_type("conseil-ingenierie")
        )
        experience = ExperienceFactory(
            title=f"Expérience témoin {index}",
            collectivite=territory,
            support_types=["conseil-ingenierie"],
        )
        content.append((territory, ptce, scheme, support, experience))
    return content


def test_every_page_type_reads_as_french(client, tricky_content):
    pages = {
        "/": None,
        "/carte/": None,
        "/ptce/": None,
        "/territoires/": None,
        "/territoires/?q=le+havre": None,
        "/soutenir/": None,
        "/soutenir/conseil-ingenierie/": None,
        "/dispositifs/": None,
        "/experiences/": None,
    }
    for territory, ptce, scheme, _support, experience in tricky_content:
        pages[territory.get_absolute_url()] = territory
        pages[ptce.get_absolute_url()] = None
        pages[scheme.get_absolute_url()] = None
        pages[experience.get_absolute_url()] = None
        pages[f"/ptce/?{territory.kind}={territory.code}"] = None
        pages[f"/carte/?{territory.kind}={territory.code}"] = None
    found = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = mistakes(plain(response))

    assert {url: wrong for url, wrong in found.items() if wrong} == {}


def test_a_territory_page_names_its_collectivite_with_its_article(client, tricky_content):
    missing = {}
    for kind, code, _the, _of, in_, authority in TRICKY:
        territory = territory_of(kind, code)
        text = plain(client.get(territory.get_absolute_url()))
        expected = [
            f"Les PTCE {in_}",
            f"Carte des PTCE {in_}",
            f"Ce que {authority} peut faire pour les PTCE",
            f"Les dispositifs auxquels {authority} peut recourir",
            f"Ceux {territory.of_authority}",
            f"Les soutiens {territory.of_authority}",
            f'content="Les pôles territoriaux de coopération économique {in_},',
        ]
        absent = [phrase for phrase in expected if phrase not in text]
        if absent:
            missing[code] = absent

    assert missing == {}
