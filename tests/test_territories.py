"""The territory hierarchy as loaded from the official files, its database guarantees and the
French names built from it."""

import csv

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from collectivites.models import Territory, TerritoryAncestry, TerritoryKind

pytestmark = pytest.mark.django_db

COMMUNE, EPCI = TerritoryKind.COMMUNE, TerritoryKind.EPCI
DEPARTEMENT, REGION = TerritoryKind.DEPARTEMENT, TerritoryKind.REGION


def codes_of(territories):
    return {t.code for t in territories}


# --- hierarchy ------------------------------------------------------------------------------
def test_cusset_lies_in_vichy_communaute_the_allier_and_auvergne_rhone_alpes(cusset):
    ancestors = {(t.kind, t.code) for t in cusset.ancestors.all()}

    assert ancestors == {(EPCI, "200071363"), (DEPARTEMENT, "03"), (REGION, "84")}
    assert cusset.epci.code == "200071363"
    assert cusset.departement.code == "03"
    assert cusset.region.code == "84"


def test_ancestors_by_rank_lists_the_broadest_territory_first(cusset):
    assert [t.kind for t in cusset.ancestors_by_rank()] == [REGION, DEPARTEMENT, EPCI]


def test_a_departement_knows_its_region_and_itself(allier):
    assert allier.region.code == "84"
    assert allier.departement == allier
    assert allier.epci is None


def test_a_region_is_its_own_region_and_has_no_departement(auvergne_rhone_alpes):
    assert auvergne_rhone_alpes.region == auvergne_rhone_alpes
    assert auvergne_rhone_alpes.departement is None


def test_grenoble_alpes_metropole_is_in_the_isere_and_auvergne_rhone_alpes(territory):
    metropole = territory(EPCI, "200040715")

    assert metropole.name == "Grenoble-Alpes-Métropole"
    assert codes_of(metropole.ancestors.filter(kind=DEPARTEMENT)) == {"38"}
    assert metropole.region.code == "84"
    assert territory(COMMUNE, "38185") in metropole.descendants.all()


def _epci_spanning_several_departements():
    path = settings.TERRITORY_FIXTURES_DIR / "epci.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if "|" in row["departements"]]


def test_an_epci_spanning_two_departements_knows_both(territory):
    row = _epci_spanning_several_departements()[0]
    spanning = territory(EPCI, row["code"])

    expected = set(row["departements"].split("|"))
    assert len(expected) >= 2
    assert codes_of(spanning.ancestors.filter(kind=DEPARTEMENT)) == expected
    assert codes_of(spanning.ancestors.filter(kind=REGION)) == set(row["regions"].split("|"))


def test_every_epci_spanning_departements_is_linked_to_each_of_them():
    rows = _epci_spanning_several_departements()
    links = TerritoryAncestry.objects.filter(
        territory__kind=EPCI,
        territory__code__in=[row["code"] for row in rows],
        ancestor__kind=DEPARTEMENT,
    ).values_list("territory__code", "ancestor__code")
    found = {}
    for epci_code, dep_code in links:
        found.setdefault(epci_code, set()).add(dep_code)

    assert found == {row["code"]: set(row["departements"].split("|")) for row in rows}


def test_every_commune_lies_in_exactly_one_departement_and_one_region():
    communes = Territory.objects.of_kind(COMMUNE).annotate(
        deps=Count("ancestors", filter=Q(ancestors__kind=DEPARTEMENT), distinct=True),
        regs=Count("ancestors", filter=Q(ancestors__kind=REGION), distinct=True),
    )

    assert not communes.exclude(deps=1).exists()
    assert not communes.exclude(regs=1).exists()


def test_the_commune_and_its_epci_are_in_the_same_departement(cusset, vichy_communaute):
    assert cusset.departement in vichy_communaute.ancestors.all()


def test_corsica_has_two_departements_2a_and_2b(territory):
    corse = territory(REGION, "94")

    assert codes_of(corse.descendants.filter(kind=DEPARTEMENT)) == {"2A", "2B"}
    assert territory(COMMUNE, "2A004").name == "Ajaccio"
    assert territory(COMMUNE, "2A004").departement.code == "2A"


def test_related_to_goes_up_and_down_but_not_sideways(cusset, vichy, allier):
    related = Territory.objects.related_to(allier)

    assert cusset in related
    assert allier.region in related
    assert allier in related
    assert not related.filter(kind=DEPARTEMENT).exclude(pk=allier.pk).exists()
    assert vichy not in Territory.objects.related_to(cusset)


def test_within_lists_descendants_only(allier, cusset):
    inside = Territory.objects.within(allier)

    assert cusset in inside
    assert allier not in inside
    assert not inside.filter(kind=REGION).exists()


def test_search_name_is_lower_case_without_accents(territory):
    assert territory(REGION, "84").search_name == "auvergne rhone alpes"


def test_territory_url_uses_kind_and_code(cusset):
    assert cusset.get_absolute_url() == "/territoires/commune/03095/"


# --- database guarantees --------------------------------------------------------------------
def test_duplicate_kind_and_code_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        Territory.objects.create(kind=COMMUNE, code="03095", name="Cusset bis")


def test_same_code_for_two_kinds_is_allowed():
    # "84" is both a région and (as a département) the Vaucluse: the key is (kind, code).
    assert Territory.objects.filter(code="84").count() == 2


@pytest.mark.parametrize(
    ("kind", "code"),
    [(COMMUNE, "0309"), (COMMUNE, "030950"), (EPCI, "20007136"), (DEPARTEMENT, "3")],
)
def test_a_code_of_the_wrong_length_for_its_kind_is_refused(kind, code):
    with pytest.raises(IntegrityError), transaction.atomic():
        Territory.objects.create(kind=kind, code=code, name="Mauvais code")


def test_an_unknown_kind_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        Territory.objects.create(kind="canton", code="0301", name="Canton")


def test_a_territory_cannot_lie_in_itself(cusset):
    with pytest.raises(IntegrityError), transaction.atomic():
        TerritoryAncestry.objects.create(territory=cusset, ancestor=cusset)


def test_an_ancestry_link_cannot_be_stored_twice(cusset, allier):
    with pytest.raises(IntegrityError), transaction.atomic():
        TerritoryAncestry.objects.create(territory=cusset, ancestor=allier)


def test_coordinates_out_of_range_are_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        Territory.objects.create(
            kind=COMMUNE, code="99998", name="Nulle part", latitude=123.0, longitude=2.0
        )


# --- names with their article -----------------------------------------------------------------
def test_the_allier_takes_l_apostrophe(allier):
    assert allier.tncc == 5  # as given by INSEE in departements.csv
    assert allier.name_with_article == "l'Allier"
    assert allier.of_name == "de l'Allier"
    assert allier.in_name == "dans l'Allier"


def test_the_oise_as_a_collectivite(oise):
    assert oise.authority_name == "Département de l'Oise"


@pytest.mark.parametrize(
    ("code", "of_name", "in_name"),
    [
        ("84", "d'Auvergne-Rhône-Alpes", "en Auvergne-Rhône-Alpes"),
        ("32", "des Hauts-de-France", "dans les Hauts-de-France"),
        ("44", "du Grand Est", "dans le Grand Est"),
        ("75", "de la Nouvelle-Aquitaine", "en Nouvelle-Aquitaine"),
        ("53", "de Bretagne", "en Bretagne"),
    ],
)
def test_region_names_read_as_french(territory, code, of_name, in_name):
    region = territory(REGION, code)

    assert region.of_name == of_name
    assert region.in_name == in_name


def test_a_commune_without_article(cusset):
    assert cusset.name_with_article == "Cusset"
    assert cusset.of_name == "de Cusset"
    assert cusset.in_name == "à Cusset"
    assert cusset.authority_name == "Commune de Cusset"


@pytest.mark.parametrize(
    ("code", "name_with_article", "of_name", "in_name"),
    [
        ("76351", "Le Havre", "du Havre", "au Havre"),
        ("17300", "La Rochelle", "de La Rochelle", "à La Rochelle"),
        ("85194", "Les Sables-d'Olonne", "des Sables-d'Olonne", "aux Sables-d'Olonne"),
        ("93039", "L'Île-Saint-Denis", "de L'Île-Saint-Denis", "à L'Île-Saint-Denis"),
    ],
)
def test_a_commune_whose_name_carries_its_article_does_not_get_it_twice(
    territory, code, name_with_article, of_name, in_name
):
    # communes.csv stores the official name with its article ("Le Havre", tncc 2).
    commune = territory(COMMUNE, code)

    assert commune.name_with_article == name_with_article
    assert commune.of_name == of_name
    assert commune.in_name == in_name


@pytest.mark.parametrize(
    ("kind", "code", "in_name"),
    [(REGION, "04", "à La Réunion"), (REGION, "06", "à Mayotte"), (DEPARTEMENT, "75", "à Paris")],
)
def test_islands_and_paris_take_a(territory, kind, code, in_name):
    assert territory(kind, code).in_name == in_name
