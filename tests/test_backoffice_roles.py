"""Roles in the back-office, enforced in one place (backoffice/permissions.py): a regional
curator of Auvergne-Rhône-Alpes (84) changes and publishes a PTCE of the Isère (38) and is
refused, with nothing written, for one of the Oise (60) whatever the path; the national
curator may do all of it; a reader changes nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from backoffice import permissions
from backoffice.models import CuratorProfile, Role
from directory.models import Member, Ptce, PtceStatus

from .backoffice_helpers import PASSWORD, change_form_data, make_curator, regional
from .factories import PtceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def isere():
    return PtceFactory(name="Pôle de Grenoble", commune_code="38185", status=PtceStatus.REVIEW)


@pytest.fixture
def oise():
    return PtceFactory(name="Pôle de Beauvais", commune_code="60057", status=PtceStatus.REVIEW)


def change_url(ptce):
    return reverse("admin:directory_ptce_change", args=[ptce.pk])


def post_change(client, ptce, **changes):
    data = change_form_data(client.get(change_url(ptce)))
    data.update(changes)
    return client.post(change_url(ptce), data)


def unchanged(ptce):
    fresh = Ptce.objects.get(pk=ptce.pk)
    return (fresh.name, fresh.status, fresh.departement_id) == (
        ptce.name,
        ptce.status,
        ptce.departement_id,
    )


@pytest.fixture
def cress(client):
    client.force_login(regional("84"))
    return client


def test_a_regional_curator_changes_and_publishes_a_ptce_of_its_region(cress, isere):
    response = post_change(cress, isere, name="Pôle de Grenoble (modifié)", status="published")

    assert response.status_code == 302, response.context["adminform"].form.errors
    isere.refresh_from_db()
    assert isere.name == "Pôle de Grenoble (modifié)"
    assert isere.status == PtceStatus.PUBLISHED


def test_it_sees_a_ptce_of_another_region_read_only(cress, oise):
    response = cress.get(change_url(oise))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()


def test_its_post_on_another_regions_ptce_is_refused(cress, oise):
    data = {"name": "Détourné", "status": "published", "departement": oise.departement_id}
    response = cress.post(change_url(oise), data)

    assert response.status_code == 403
    assert unchanged(oise)


def test_it_cannot_delete_another_regions_ptce(cress, oise):
    url = reverse("admin:directory_ptce_delete", args=[oise.pk])

    assert cress.get(url).status_code == 403
    assert cress.post(url, {"post": "yes"}).status_code == 403
    assert Ptce.objects.filter(pk=oise.pk).exists()


def test_a_bulk_deletion_with_another_regions_ptce_is_refused(cress, isere, oise):
    url = reverse("admin:directory_ptce_changelist")
    response = cress.post(
        url,
        {"action": "delete_selected", "_selected_action": [isere.pk, oise.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert Ptce.objects.filter(pk__in=[isere.pk, oise.pk]).count() == 2


def test_an_inline_of_another_regions_ptce_is_refused(cress, oise):
    data = {
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-name": "Intrus",
        "members-0-category": "ess",
    }
    response = cress.post(change_url(oise), data)

    assert response.status_code == 403
    assert not Member.objects.filter(name="Intrus").exists()


def test_it_cannot_move_its_own_ptce_into_another_region(cress, isere):
    from .factories import commune, departement

    response = post_change(
        cress, isere, seat_commune=commune("60057").pk, departement=departement("60").pk
    )

    assert response.status_code == 200  # the form again, with the reason
    assert "pas de votre ressort" in response.content.decode()
    assert unchanged(isere)


def test_it_cannot_create_a_ptce_in_another_region(cress):
    from .factories import departement

    url = reverse("admin:directory_ptce_add")
    data = change_form_data(cress.get(url))
    data.update(name="Pôle créé ailleurs", slug="pole-cree-ailleurs", status="draft")
    data["departement"] = departement("60").pk
    response = cress.post(url, data)

    assert response.status_code == 200
    assert not Ptce.objects.filter(name="Pôle créé ailleurs").exists()


def test_statuses_move_only_along_the_allowed_transitions(cress, isere):
    isere.status = PtceStatus.DRAFT
    isere.save()
    response = post_change(cress, isere, status="published")  # draft -> published: no

    assert "non permis" in response.content.decode()
    assert Ptce.objects.get(pk=isere.pk).status == PtceStatus.DRAFT
    assert post_change(cress, isere, status="review").status_code == 302


def test_the_national_curator_may_do_all_of_it(client, oise):
    client.force_login(make_curator("rtes", Role.NATIONAL))
    response = post_change(client, oise, name="Pôle de Beauvais (vérifié)", status="published")

    assert response.status_code == 302
    assert Ptce.objects.get(pk=oise.pk).status == PtceStatus.PUBLISHED
    url = reverse("admin:directory_ptce_delete", args=[oise.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Ptce.objects.filter(pk=oise.pk).exists()


@pytest.mark.parametrize("role", [Role.READER, Role.COLLECTIVITE])
def test_a_reader_or_a_contributor_changes_no_ptce(client, isere, role):
    from .factories import departement

    collectivite = departement("38") if role == Role.COLLECTIVITE else None
    client.force_login(make_curator("lecteur", role, collectivite=collectivite))

    assert client.get(reverse("admin:directory_ptce_changelist")).status_code == 200
    assert client.post(change_url(isere), {"name": "Non"}).status_code == 403
    assert client.get(reverse("admin:directory_ptce_add")).status_code == 403
    assert unchanged(isere)


def test_a_staff_account_without_a_role_is_a_reader(client, isere):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("sans-role", password=PASSWORD, is_staff=True)
    assert permissions.scope_of(user).role == Role.READER
    client.force_login(user)

    assert client.post(change_url(isere), {"name": "Non"}).status_code == 403


def test_the_scope_of_a_regional_curator_is_its_departements():
    user = regional("84")
    scope = permissions.scope_of(user)

    assert len(scope.departement_ids) == 12  # the départements of Auvergne-Rhône-Alpes
    assert permissions.may_place_ptce(scope, Ptce(departement_id=None).departement_id) is False


def test_create_curator_makes_each_role(capsys, monkeypatch):
    monkeypatch.setenv("CURATOR_PASSWORD", PASSWORD)
    call_command("create_curator", "cress-aura", "--email", "aura@example.org", "--region", "84")
    call_command("create_curator", "rtes", "--email", "rtes@example.org", "--national")
    call_command(
        "create_curator", "oise", "--email", "oise@example.org", "--collectivite", "departement:60"
    )
    call_command("create_curator", "cress-aura", "--email", "aura@example.org", "--reader")

    roles = dict(CuratorProfile.objects.values_list("user__username", "role"))
    assert roles == {"cress-aura": Role.READER, "rtes": Role.NATIONAL, "oise": Role.COLLECTIVITE}
    assert "mis à jour" in capsys.readouterr().out


def test_create_curator_without_a_password_prints_a_link_to_choose_one(capsys, monkeypatch):
    monkeypatch.delenv("CURATOR_PASSWORD", raising=False)
    call_command("create_curator", "nouvelle", "--email", "n@example.org", "--region", "11")

    assert "/compte/reset/" in capsys.readouterr().out


@pytest.mark.parametrize(
    "arguments",
    [
        ["x", "--email", "pas-une-adresse", "--national"],
        ["x", "--email", "x@example.org", "--region", "99"],
        ["x", "--email", "x@example.org", "--collectivite", "canton:1"],
        ["x", "--email", "x@example.org"],
    ],
)
def test_create_curator_explains_bad_arguments(arguments):
    with pytest.raises(CommandError):
        call_command("create_curator", *arguments)
