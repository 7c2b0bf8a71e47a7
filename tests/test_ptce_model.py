"""PTCEs, their place in the territory hierarchy and the guarantees of their tables."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from collectivites.models import TerritoryKind
from directory.models import Member, MemberCategory, Ptce, PtceStatus

from .factories import (
    MemberFactory,
    NationalCallAwardFactory,
    PtceFactory,
    commune,
    departement,
    epci,
    region,
    theme,
)

pytestmark = pytest.mark.django_db


def matches(territory):
    return list(Ptce.objects.in_territory(territory))


# --- in_territory: up and down the hierarchy ------------------------------------------------
@pytest.fixture
def ptce_of_cusset():
    return PtceFactory(commune_code="03095")


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (TerritoryKind.COMMUNE, "03095"),
        (TerritoryKind.EPCI, "200071363"),
        (TerritoryKind.DEPARTEMENT, "03"),
        (TerritoryKind.REGION, "84"),
    ],
)
def test_a_ptce_of_cusset_is_found_from_cusset_and_every_territory_above(
    ptce_of_cusset, territory, kind, code
):
    assert matches(territory(kind, code)) == [ptce_of_cusset]


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (TerritoryKind.COMMUNE, "03310"),  # Vichy: same EPCI, other commune
        (TerritoryKind.DEPARTEMENT, "63"),  # Puy-de-Dôme: same région, other département
        (TerritoryKind.REGION, "32"),
        (TerritoryKind.EPCI, "200040715"),
    ],
)
def test_a_ptce_of_cusset_is_not_found_from_neighbouring_territories(
    ptce_of_cusset, territory, kind, code
):
    assert matches(territory(kind, code)) == []


def test_a_ptce_known_by_its_departement_only_matches_its_communes_and_region():
    ptce = PtceFactory(departement_code="60")

    assert ptce.seat_commune is None
    assert matches(commune("60057")) == [ptce]  # Beauvais
    assert matches(departement("60")) == [ptce]
    assert matches(region("32")) == [ptce]
    assert matches(departement("02")) == []
    assert matches(commune("03095")) == []


def test_a_ptce_acting_on_a_whole_departement_matches_each_of_its_communes():
    ptce = PtceFactory(commune_code="63113", action_territories=[departement("03")])

    assert ptce.departement.code == "63"
    assert matches(commune("03310")) == [ptce]
    assert matches(commune("03095")) == [ptce]
    assert matches(commune("01427")) == []


def test_a_ptce_acting_on_an_epci_matches_its_communes_and_departement():
    ptce = PtceFactory(commune_code="63113", action_territories=[epci("200071363")])

    assert matches(commune("03310")) == [ptce]
    assert matches(departement("03")) == [ptce]
    assert matches(commune("03190")) == []  # Moulins, in the Allier but not in the EPCI


def test_a_ptce_matching_several_ways_is_listed_once(territory):
    ptce = PtceFactory(
        commune_code="03095",
        action_territories=[departement("03"), epci("200071363"), commune("03310")],
    )

    assert matches(departement("03")) == [ptce]
    assert Ptce.objects.in_territory(region("84")).count() == 1


def test_published_excludes_drafts_reviews_and_archives():
    shown = PtceFactory(status=PtceStatus.PUBLISHED)
    for status in (PtceStatus.DRAFT, PtceStatus.REVIEW, PtceStatus.ARCHIVED):
        PtceFactory(status=status)

    assert list(Ptce.objects.published()) == [shown]


def test_published_and_in_territory_combine():
    shown = PtceFactory(commune_code="03095")
    PtceFactory(commune_code="03095", status=PtceStatus.DRAFT)

    assert list(Ptce.objects.published().in_territory(departement("03"))) == [shown]


# --- deriving the place from the commune ------------------------------------------------------
def test_saving_with_a_commune_only_derives_the_departement_and_coordinates():
    cusset = commune("03095")

    ptce = Ptce.objects.create(name="Pôle de Cusset", slug="pole-de-cusset", seat_commune=cusset)

    ptce.refresh_from_db()
    assert ptce.departement.code == "03"
    assert (ptce.latitude, ptce.longitude) == (cusset.latitude, cusset.longitude)
    assert ptce.region.code == "84"
    assert ptce.place_label == "Cusset (03)"


def test_coordinates_given_by_a_curator_are_kept():
    ptce = Ptce.objects.create(
        name="Pôle précis",
        slug="pole-precis",
        seat_commune=commune("03095"),
        latitude=46.1,
        longitude=3.5,
    )

    ptce.refresh_from_db()
    assert (ptce.latitude, ptce.longitude) == (46.1, 3.5)


def test_a_ptce_without_commune_is_placed_by_its_departement():
    ptce = PtceFactory(departement_code="60")

    assert ptce.place_label == "Oise (60)"
    assert ptce.latitude is None


def test_validation_derives_the_departement_of_a_commune_given_alone():
    # The admin form says the département is "déduit de la commune": a curator who only
    # picks the commune must not be told the département is required.
    ptce = Ptce(name="Pôle de Vichy", slug="pole-de-vichy", seat_commune=commune("03310"))

    ptce.full_clean()

    assert ptce.departement.code == "03"


def test_validation_refuses_a_departement_that_does_not_hold_the_commune():
    ptce = Ptce(
        name="Pôle mal placé",
        slug="pole-mal-place",
        seat_commune=commune("03095"),
        departement=departement("63"),
    )

    with pytest.raises(ValidationError) as caught:
        ptce.full_clean()

    messages = caught.value.message_dict["departement"]
    assert any("Cusset" in message and "03" in message for message in messages)


def test_validation_refuses_a_seat_that_is_not_a_commune():
    ptce = Ptce(
        name="Pôle", slug="pole", seat_commune=departement("03"), departement=departement("03")
    )

    with pytest.raises(ValidationError) as caught:
        ptce.full_clean()

    assert "seat_commune" in caught.value.message_dict


def test_absolute_url_is_the_public_page():
    assert PtceFactory(slug="fabricanova").get_absolute_url() == "/ptce/fabricanova/"


# --- database guarantees ----------------------------------------------------------------------
def test_two_ptces_cannot_share_a_name_in_one_departement_whatever_the_case():
    PtceFactory(name="Pole Bois", departement_code="03")

    with pytest.raises(IntegrityError), transaction.atomic():
        PtceFactory(name="POLE BOIS", slug="autre", departement_code="03")


def test_the_same_name_is_allowed_in_another_departement():
    PtceFactory(name="Pôle Bois", departement_code="03")

    other = PtceFactory(name="Pôle Bois", slug="pole-bois-60", departement_code="60")

    assert other.pk


def test_two_ptces_cannot_share_a_slug():
    PtceFactory(slug="meme-slug")

    with pytest.raises(IntegrityError), transaction.atomic():
        PtceFactory(slug="meme-slug")


@pytest.mark.parametrize(
    "values",
    [
        {"status": "online"},
        {"charter_signed": "bof"},
        {"year_founded": 1850},
        {"latitude": 91.0, "longitude": 2.0},
        {"latitude": 46.0, "longitude": None},
    ],
)
def test_impossible_values_are_refused_by_the_database(values):
    with pytest.raises(IntegrityError), transaction.atomic():
        PtceFactory(**values)


def test_a_member_with_a_territory_must_be_a_collectivite():
    ptce = PtceFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            ptce=ptce, name="Mairie", category=MemberCategory.ESS, territory=commune("03095")
        )


def test_a_collectivite_member_can_name_its_territory():
    member = MemberFactory(category=MemberCategory.COLLECTIVITE, territory=commune("03095"))

    assert member.territory.name == "Cusset"
    assert list(member.ptce.members.all()) == [member]


def test_a_member_appears_once_per_ptce():
    member = MemberFactory(name="Oïkos")

    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(ptce=member.ptce, name="Oïkos")


def test_a_national_call_is_won_once_a_year():
    award = NationalCallAwardFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        NationalCallAwardFactory(ptce=award.ptce, name=award.name, year=award.year)


def test_a_national_call_year_must_be_plausible():
    with pytest.raises(IntegrityError), transaction.atomic():
        NationalCallAwardFactory(year=1999)


def test_deleting_a_ptce_removes_its_members_and_awards():
    member = MemberFactory()
    NationalCallAwardFactory(ptce=member.ptce)

    member.ptce.delete()

    assert not Member.objects.exists()


def test_themes_are_the_reference_list():
    ptce = PtceFactory(themes=["culture", "habitat"])

    assert set(ptce.themes.all()) == {theme("culture"), theme("habitat")}
    assert ptce in theme("culture").ptces.all()
