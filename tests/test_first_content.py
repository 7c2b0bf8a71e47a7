"""The portal's first content: PTCEs of the vendored files, the experiences, supports and
schemes of the guide "Collectivités & PTCE" (RTES / CRESS AuRA, 2022), and the reference lists
created by the migrations."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from collectivites.models import Resource, Scheme, SupportType, Territory, TerritoryKind
from directory.models import Experience, LegalForm, Ptce, Stage, Support, Theme

from .factories import ExperienceFactory, commune, departement, epci, support_type

pytestmark = pytest.mark.django_db

SEED = settings.CONTENT_FIXTURES_DIR / "seed.json"


@pytest.fixture(scope="module")
def bootstrapped(django_db_setup, django_db_blocker):
    """``bootstrap_portal`` run once for this module, inside a transaction rolled back when
    the module is done; each test still runs in its own savepoint, rolled back after it."""
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("bootstrap_portal", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def content_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Ptce, Support, Experience, Scheme, Resource)
    }


# --- reference lists (data migrations) --------------------------------------------------------
def test_the_eight_support_types():
    assert set(SupportType.objects.values_list("slug", flat=True)) == {
        "reperage-mise-en-lien",
        "fonctionnement-animation",
        "investissement",
        "conseil-ingenierie",
        "foncier-locaux",
        "commande-publique",
        "capital-scic",
        "strategie-schemas",
    }
    assert not SupportType.objects.filter(title="").exists()
    assert not SupportType.objects.filter(description="").exists()


def test_the_twelve_themes():
    assert set(Theme.objects.values_list("slug", flat=True)) == {
        "economie-circulaire",
        "alimentation",
        "habitat",
        "culture",
        "insertion-emploi",
        "transition-energetique",
        "mobilite",
        "numerique",
        "tourisme",
        "sante-social",
        "entrepreneuriat",
        "industrie-artisanat",
    }


def test_the_four_stages_in_their_natural_order():
    assert list(Stage.objects.values_list("slug", flat=True)) == [
        "gestation",
        "emergence",
        "developpement",
        "consolidation",
    ]


def test_the_eight_legal_forms():
    assert set(LegalForm.objects.values_list("slug", flat=True)) == {
        "association",
        "scic",
        "scop",
        "sas",
        "gie",
        "gip",
        "groupement",
        "autre",
    }


# --- bootstrap_portal -------------------------------------------------------------------------
def test_bootstrap_keeps_the_loaded_territories_and_imports_the_67_ptces(bootstrapped):
    assert "Territoires déjà chargés." in bootstrapped
    assert Territory.objects.of_kind(TerritoryKind.COMMUNE).count() == 34969
    assert Ptce.objects.count() == 67
    assert Ptce.objects.published().count() == 67


def test_bootstrap_loads_every_entry_of_the_seed_file(bootstrapped):
    seed = json.loads(SEED.read_text(encoding="utf-8"))

    assert Support.objects.count() == len(seed["supports"])
    assert Experience.objects.count() == len(seed["experiences"])
    assert Scheme.objects.count() == len(seed["schemes"])
    assert Resource.objects.count() == len(seed["resources"])


def test_bootstrap_leaves_an_existing_directory_alone(bootstrapped):
    before = content_counts()
    out = StringIO()

    call_command("bootstrap_portal", stdout=out)

    assert "PTCE déjà présents" in out.getvalue()
    assert content_counts() == before


def test_the_belleville_experience_is_about_premises(bootstrapped):
    experience = Experience.objects.get(collectivite=commune("69019"))

    assert experience.collectivite.name == "Belleville-en-Beaujolais"
    assert list(experience.support_types.all()) == [support_type("foncier-locaux")]
    assert experience.ptce.name == "Pôle Habitat Durable"


def test_the_oise_experiences_are_the_departements(bootstrapped):
    oise_experiences = Experience.objects.filter(title__icontains="oise")

    assert oise_experiences.count() == 2
    assert {e.collectivite for e in oise_experiences} == {departement("60")}
    networks = oise_experiences.get(ptce__isnull=True)
    assert list(networks.support_types.all()) == [support_type("fonctionnement-animation")]
    bray = oise_experiences.get(ptce__name="PTCE du Pays de Bray")
    assert bray.ptce.departement == departement("60")
    assert support_type("conseil-ingenierie") in bray.support_types.all()


def test_every_experience_names_its_collectivite_and_its_source(bootstrapped):
    assert Experience.objects.exists()
    for experience in Experience.objects.select_related("collectivite"):
        assert experience.collectivite_id
        assert experience.source.strip()
        assert experience.summary.strip()


@pytest.mark.parametrize(
    ("author", "role_word", "collectivite"),
    [
        ("Jérôme Viaud", "Pays de Grasse", (TerritoryKind.EPCI, "200039857")),
        ("Marie Chatelais", "Cusset", (TerritoryKind.COMMUNE, "03095")),
    ],
)
def test_the_two_quotes_are_attributed(bootstrapped, territory, author, role_word, collectivite):
    experience = Experience.objects.get(quote_author=author)

    assert len(experience.quote) > 50
    assert role_word in experience.quote_author_role
    assert experience.collectivite == territory(*collectivite)


def test_a_quote_without_author_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ExperienceFactory(quote="Une belle phrase.", quote_author="")


@pytest.mark.parametrize("code", ["44", "32", "76", "75", "52"])
def test_regional_schemes_belong_to_their_region(bootstrapped, territory, code):
    owner = territory(TerritoryKind.REGION, code)
    scheme = Scheme.objects.get(owner=owner)

    assert scheme.source
    assert not scheme.is_national
    assert scheme.owner_label == f"Région {owner.name}"


def test_the_states_ami_is_a_national_scheme(bootstrapped):
    ami = Scheme.objects.national().get()

    assert ami.owner is None
    assert ami.is_national
    assert str(ami.owner_label) == "État"
    assert "108 projets" in ami.description
    assert "15 lauréats" in ami.description
    assert "100 000" in ami.description
    assert ami.start_year == 2021
    assert Scheme.objects.running(2021).filter(pk=ami.pk).exists()
    assert not Scheme.objects.running(2020).filter(pk=ami.pk).exists()


def test_no_scheme_of_the_guide_claims_to_be_open_today(bootstrapped, client):
    """The guide (2022) gives no end year and declares none permanent (the AMI « a vocation à
    être permanent »; ACTE's terms « ne sont pas décrites »): the portal says nothing."""
    assert not Scheme.objects.filter(ongoing=True).exists()
    assert not Scheme.objects.running().exists()
    html = client.get("/dispositifs/").content.decode()

    assert "En cours" not in html.replace(">En cours</", "")  # the filter's own label only
    assert all(scheme.status_label == "" for scheme in Scheme.objects.all())


# Communes filled from a public source, named in the row's ``source``.
FILLED_COMMUNES = {"Pôle Laine du Pays de Saugues": "43234", "Mady&co": "56121"}


def test_ptces_with_a_commune_found_in_a_public_source_are_on_the_map(bootstrapped):
    for name, code in FILLED_COMMUNES.items():
        ptce = Ptce.objects.get(name=name)

        assert ptce.seat_commune.code == code
        assert "commune : " in ptce.source
        assert ptce.latitude is not None and ptce.longitude is not None


def test_the_others_keep_their_departement_only(bootstrapped):
    without = Ptce.objects.filter(seat_commune__isnull=True)

    assert without.count() == 22
    assert not without.filter(departement__isnull=True).exists()


@pytest.mark.parametrize(
    ("collectivite", "ptce_name", "type_slug"),
    [
        ((TerritoryKind.EPCI, "200071363"), "Atelier d'Art de Vichy", "conseil-ingenierie"),
        ((TerritoryKind.COMMUNE, "69019"), "Pôle Habitat Durable", "foncier-locaux"),
        ((TerritoryKind.DEPARTEMENT, "60"), "PTCE du Pays de Bray", "conseil-ingenierie"),
    ],
)
def test_supports_link_collectivites_to_their_ptces(
    bootstrapped, territory, collectivite, ptce_name, type_slug
):
    supports = Support.objects.given_by(territory(*collectivite)).filter(ptce__name=ptce_name)

    assert supports.filter(support_type__slug=type_slug).exists()
    assert supports.published().count() == supports.count()


def test_the_ptce_of_cusset_is_supported_by_the_town_and_the_agglomeration(bootstrapped):
    atelier = Ptce.objects.get(name="Atelier d'Art de Vichy")

    givers = {support.collectivite for support in atelier.supports.all()}

    assert givers == {commune("03095"), epci("200071363")}


# --- load_content -----------------------------------------------------------------------------
def test_loading_the_content_twice_creates_no_duplicates(bootstrapped):
    before = content_counts()
    out = StringIO()

    call_command("load_content", stdout=out)

    assert content_counts() == before
    assert "créé" not in out.getvalue()
    assert "mis à jour" in out.getvalue() or "mises à jour" in out.getvalue()


def test_load_content_puts_back_an_edited_text(bootstrapped):
    Experience.objects.filter(quote_author="Marie Chatelais").update(summary="Modifié")

    call_command("load_content", stdout=StringIO())

    assert Experience.objects.get(quote_author="Marie Chatelais").summary != "Modifié"


def test_load_content_naming_an_unknown_territory_fails(tmp_path, bootstrapped):
    bad = {
        "experiences": [
            {
                "slug": "x",
                "title": "X",
                "summary": "X",
                "source": "X",
                "collectivite": {"kind": "commune", "code": "99999"},
            }
        ]
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")

    with pytest.raises(CommandError, match="99999"):
        call_command("load_content", str(path), stdout=StringIO())

    assert not Experience.objects.filter(slug="x").exists()
