"""Curation in the back-office: « Marquer comme vérifiée aujourd'hui » on the PTCEs of the
user's scope only (a selection with one PTCE of another région is refused, nothing written),
the list filters (freshness, région, département), the admin home's tasks per scope, the
territory autocomplete ranked and labelled by level, and the portal's branding."""

import datetime
import html

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from backoffice.models import Role
from core.models import PublicDataVersion
from directory.models import Ptce, PtceStatus

from .backoffice_helpers import make_curator, regional
from .factories import PtceFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:directory_ptce_changelist"
TODAY = timezone.localdate()
LONG_AGO = TODAY - datetime.timedelta(days=800)
RECENTLY = TODAY - datetime.timedelta(days=30)


@pytest.fixture
def cress(client):
    client.force_login(regional("84"))
    return client


@pytest.fixture
def rtes(client):
    client.force_login(make_curator("rtes", Role.NATIONAL))
    return client


@pytest.fixture
def isere():
    return PtceFactory(name="Pôle de Grenoble", commune_code="38185", status=PtceStatus.REVIEW)


@pytest.fixture
def allier():
    return PtceFactory(name="Pôle de Cusset", commune_code="03095", last_verified=LONG_AGO)


@pytest.fixture
def oise():
    return PtceFactory(name="Pôle de Beauvais", commune_code="60057", status=PtceStatus.REVIEW)


def mark_verified(client, *ptces):
    """The action's response (after the redirect) and its page as text."""
    response = client.post(
        reverse(CHANGELIST),
        {"action": "mark_verified", "_selected_action": [ptce.pk for ptce in ptces]},
        follow=True,
    )
    return response, html.unescape(response.content.decode())


def listed(client, **parameters):
    response = client.get(reverse(CHANGELIST), parameters)
    assert response.status_code == 200
    return {ptce.name for ptce in response.context["cl"].result_list}


# --- « Marquer comme vérifiée aujourd'hui » --------------------------------------------------
def test_the_action_marks_the_ptces_of_the_scope_verified_today(cress, isere, allier):
    version = PublicDataVersion.objects.values_list("value", flat=True).first()

    response, page = mark_verified(cress, isere, allier)

    assert response.status_code == 200
    assert "2 fiches marquées comme vérifiées aujourd'hui." in page
    assert set(Ptce.objects.values_list("last_verified", flat=True)) == {TODAY}
    # Each PTCE is saved: the signals move the public-data version (Cusset is published).
    assert PublicDataVersion.objects.values_list("value", flat=True).first() != version


def test_a_selection_with_a_ptce_of_another_region_is_refused_whole(cress, isere, allier, oise):
    _response, page = mark_verified(cress, isere, allier, oise)

    assert (
        "Rien n'a été modifié : la fiche « Pôle de Beauvais » n'est pas de votre ressort." in page
    )
    assert Ptce.objects.get(pk=isere.pk).last_verified is None
    assert Ptce.objects.get(pk=allier.pk).last_verified == LONG_AGO
    assert Ptce.objects.get(pk=oise.pk).last_verified is None


def test_a_reader_is_not_offered_the_action(client, isere):
    client.force_login(make_curator("lecteur", Role.READER))

    response = client.get(reverse(CHANGELIST))

    assert "mark_verified" not in response.content.decode()
    mark_verified(client, isere)
    assert Ptce.objects.get(pk=isere.pk).last_verified is None


# --- list filters ----------------------------------------------------------------------------
def test_the_freshness_filter(rtes, isere, allier):
    PtceFactory(name="Pôle vérifié", commune_code="38185", last_verified=RECENTLY)

    assert listed(rtes, fraicheur="a-relire") == {"Pôle de Grenoble", "Pôle de Cusset"}
    assert listed(rtes, fraicheur="jamais") == {"Pôle de Grenoble"}
    assert listed(rtes, fraicheur="plus-de-12-mois") == {"Pôle de Cusset"}
    assert listed(rtes, fraicheur="moins-de-12-mois") == {"Pôle vérifié"}


def test_the_region_and_departement_filters(rtes, isere, allier, oise):
    assert listed(rtes, region="84") == {"Pôle de Grenoble", "Pôle de Cusset"}
    assert listed(rtes, region="32") == {"Pôle de Beauvais"}
    assert listed(rtes, departement="03") == {"Pôle de Cusset"}
    assert listed(rtes, region="84", departement="38") == {"Pôle de Grenoble"}
    response = rtes.get(reverse(CHANGELIST), {"region": "84"})
    filters = {
        spec.parameter_name: spec
        for spec in response.context["cl"].filter_specs
        if hasattr(spec, "parameter_name")
    }
    codes = {code for code, _label in filters["departement"].lookup_choices}
    assert "38" in codes and "03" in codes and "60" not in codes


def test_the_status_theme_and_stage_filters_are_offered(rtes):
    response = rtes.get(reverse(CHANGELIST))

    titles = {str(spec.title) for spec in response.context["cl"].filter_specs}
    assert {"fraîcheur", "région", "département"} <= titles
    assert len(titles) >= 7  # status, themes, stage, legal form… too


# --- the admin home ----------------------------------------------------------------------------
def tasks(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {str(task.label): (task.count, task.url) for task in response.context["curation_tasks"]}


def test_the_admin_home_counts_the_tasks_of_a_regional_curator(cress, isere, allier, oise):
    found = tasks(cress)

    count, url = found["Fiches à relire"]
    assert count == 1  # Grenoble; Beauvais is in another région
    assert "ressort=mine" in url and "status__exact=review" in url
    assert listed(cress, **dict(pair.split("=") for pair in url.split("?")[1].split("&"))) == {
        "Pôle de Grenoble"
    }
    count, url = found["Fiches jamais vérifiées ou vérifiées il y a plus de 12 mois"]
    assert count == 2
    assert "fraicheur=a-relire" in url


def test_the_admin_home_counts_every_ptce_for_the_national_curator(rtes, isere, allier, oise):
    found = tasks(rtes)

    assert found["Fiches à relire"][0] == 2
    assert "ressort" not in found["Fiches à relire"][1]
    assert found["Fiches jamais vérifiées ou vérifiées il y a plus de 12 mois"][0] == 3


@pytest.mark.skipif(not apps.is_installed("suggestions"), reason="no suggestions app")
def test_the_admin_home_counts_the_open_suggestions_of_the_scope(client, isere, oise):
    suggestion = apps.get_model("suggestions", "Suggestion")
    for ptce in (isere, oise):
        suggestion.objects.create(kind="correction", ptce=ptce, departement=ptce.departement)
    client.force_login(regional("84"))

    count, url = tasks(client)["Suggestions ouvertes"]

    assert count == 1
    assert url == reverse("admin:suggestions_suggestion_changelist")
    client.force_login(make_curator("rtes", Role.NATIONAL))
    assert tasks(client)["Suggestions ouvertes"][0] == 2


def test_a_reader_has_no_tasks(client, isere):
    client.force_login(make_curator("lecteur", Role.READER))

    assert tasks(client) == {}


# --- the territory autocomplete ----------------------------------------------------------------
def autocomplete(client, term):
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": term,
            "app_label": "directory",
            "model_name": "ptce",
            "field_name": "action_territories",
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


LEVELS = ["Région", "Département", "Intercommunalité", "Commune"]


def test_bretagne_puts_the_region_first_and_labels_each_level(rtes):
    labels = autocomplete(rtes, "bretagne")

    # The public autocomplete's ranking: best match first (« Bretagne » exactly: the région,
    # then the communes so named), then within a match the broadest level, then population.
    assert labels[0] == "Région Bretagne"
    assert labels[1:3] == ["Commune de Bretagne (90019)", "Commune de Bretagne (36024)"]
    assert all(label.split()[0] in LEVELS for label in labels)
    word_matches = labels[labels.index("Intercommunalité CA Quimper Bretagne Occidentale") :]
    levels = [LEVELS.index(label.split()[0]) for label in word_matches]
    assert levels == sorted(levels)


def test_the_autocomplete_labels_departements_and_communes_with_their_code(rtes):
    # Labels read as French names of the collectivités (issue 10: « Département du
    # Finistère »), with the code that tells homonyms apart.
    assert autocomplete(rtes, "finistere")[0] == "Département du Finistère (29)"
    brest = autocomplete(rtes, "brest")
    assert brest[0] == "Commune de Brest (29019)"  # exact name first
    assert any(label.startswith("Intercommunalité Brest") for label in brest)


# --- branding ----------------------------------------------------------------------------------
def test_the_admin_wears_the_portals_colours_and_links_back_to_it(cress):
    page = cress.get(reverse("admin:index")).content.decode()

    assert "Portail des PTCE — Espace contributeurs" in page
    assert "Retour au portail public" in page
    assert "css/admin-portal" in page
    assert "<script>" not in page and "style=" not in page
