"""The search follows every change of what it indexes: a PTCE's themes,
members, supports, and the labels of its themes, stage, legal form, support types and
commune. On both databases."""

import pytest
from django.conf import settings

from collectivites.models import SupportType, Territory
from collectivites.services.territory_import import import_territories
from directory.models import LegalForm, Member, Stage, Support, Theme

from .directory_helpers import make_ptce, names
from .factories import commune, support_type
from .search_helpers import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def ptce(db):
    make_ptce("Pôle voisin", summary="", description="Autre chose.")
    return make_ptce("Pôle suivi", summary="", description="")


def found(client, text):
    return names(search(client, text))


def test_a_theme_renamed_finds_its_ptces_by_the_new_label(client, ptce):
    ptce.themes.set([Theme.objects.get(slug="culture")])
    theme = Theme.objects.get(slug="culture")
    theme.name = "Arts vivants"
    theme.save()

    assert found(client, "arts vivants") == ["Pôle suivi"]
    assert found(client, "culture") == []


def test_themes_added_removed_and_cleared(client, ptce):
    theme = Theme.objects.get(slug="tourisme")
    ptce.themes.add(theme)
    assert found(client, "tourisme") == ["Pôle suivi"]

    ptce.themes.clear()
    assert found(client, "tourisme") == []

    ptce.themes.add(theme)
    ptce.themes.remove(theme)
    assert found(client, "tourisme") == []


def test_a_deleted_theme_no_longer_finds_its_ptces(client, ptce):
    theme = Theme.objects.create(slug="apiculture", name="Apiculture")
    ptce.themes.add(theme)
    assert found(client, "apiculture") == ["Pôle suivi"]

    theme.delete()

    assert found(client, "apiculture") == []


def test_stage_and_legal_form_labels_follow_their_renaming_and_removal(client, ptce):
    ptce.stage = Stage.objects.get(slug="gestation")
    ptce.legal_form = LegalForm.objects.create(slug="sem", name="Société d'économie mixte")
    ptce.save()
    assert found(client, "gestation mixte") == ["Pôle suivi"]

    stage = Stage.objects.get(slug="gestation")
    stage.name = "Amorçage"
    stage.save()
    LegalForm.objects.get(slug="sem").delete()

    assert found(client, "amorcage") == ["Pôle suivi"]
    assert found(client, "gestation") == []
    assert found(client, "mixte") == []


def test_supports_received_are_found_by_their_type(client, ptce):
    support = Support.objects.create(
        ptce=ptce,
        collectivite=ptce.departement,
        support_type=support_type("commande-publique"),
        status="published",
    )
    assert found(client, "commande publique") == ["Pôle suivi"]

    kind = SupportType.objects.get(slug="commande-publique")
    kind.title = kind.short_title = "Achats responsables"
    kind.save()
    assert found(client, "achats responsables") == ["Pôle suivi"]
    assert found(client, "commande") == []

    support.delete()
    assert found(client, "achats") == []


def test_a_member_or_support_moved_to_another_ptce_moves_in_the_search(client, ptce):
    other = make_ptce("Pôle d'arrivée", summary="", description="")
    member = Member.objects.create(ptce=ptce, name="Emmaüs Bourbonnais", category="ess")
    support = Support.objects.create(
        ptce=ptce,
        collectivite=ptce.departement,
        support_type=support_type("capital-scic"),
        status="published",
    )

    member.ptce = other
    member.save()
    support.ptce = other
    support.save()

    assert found(client, "emmaus") == ["Pôle d'arrivée"]
    assert found(client, "capital") == ["Pôle d'arrivée"]


def test_a_commune_renamed_finds_its_ptces_by_the_new_name(client, ptce):
    make_ptce("Pôle de Cusset", summary="", description="", commune="03095")
    cusset = commune("03095")
    cusset.name = "Cusset-sur-Sichon"
    cusset.save()

    assert found(client, "sichon") == ["Pôle de Cusset"]


def test_a_commune_renamed_by_the_territory_import_finds_its_ptces_by_the_new_name(client, ptce):
    """The import updates territories in bulk (no ``post_save``): its own signal refreshes
    the PTCEs that copied the old name into their search columns."""
    Territory.objects.filter(code="03095", kind="commune").update(name="Bourg-Témoin")
    make_ptce("Pôle de la gare", summary="", description="", commune="03095")
    assert found(client, "temoin") == ["Pôle de la gare"]
    assert found(client, "cusset") == []

    import_territories(settings.TERRITORY_FIXTURES_DIR)  # gives Cusset its name back

    assert found(client, "cusset") == ["Pôle de la gare"]
    assert found(client, "temoin") == []


def test_a_draft_supports_and_members_are_found_once_it_is_published(client):
    draft = make_ptce(
        "Pôle en attente",
        status="draft",
        summary="",
        description="",
        supports=["foncier-locaux"],
        members=["Bâtisseurs d'Emmaüs"],
    )
    assert found(client, "foncier") == []

    draft.status = "published"
    draft.save()

    assert found(client, "foncier") == ["Pôle en attente"]
    assert found(client, "batisseurs") == ["Pôle en attente"]


def test_a_support_is_searched_only_once_published(client, ptce):
    support = Support.objects.create(
        ptce=ptce, collectivite=ptce.departement, support_type=support_type("commande-publique")
    )  # a draft, as a collectivité contributor proposes it
    assert found(client, "commande publique") == []
    support.status = "published"
    support.save()
    assert found(client, "commande publique") == ["Pôle suivi"]
