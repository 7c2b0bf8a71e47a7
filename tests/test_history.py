"""History of changes in the back-office (django-simple-history, backoffice/admin/history.py):
each version shows its author, its date and the old and new value of each changed field
(many-to-many and members too); a revert restores them and is itself a version by the
reverting user; a regional curator reverts only what it may change, and a revert stays in its
scope and follows the status transitions."""

import pytest
from django.urls import reverse

from backoffice.models import Role
from collectivites.models import Scheme
from directory.models import Member, Ptce, PtceStatus, Support

from .backoffice_helpers import change_form_data, make_curator, regional
from .factories import (
    MemberFactory,
    PtceFactory,
    SchemeFactory,
    SupportFactory,
    departement,
    theme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rtes_user():
    return make_curator("rtes", Role.NATIONAL)


@pytest.fixture
def rtes(client, rtes_user):
    client.force_login(rtes_user)
    return client


@pytest.fixture
def isere():
    ptce = PtceFactory(
        name="Pôle de Grenoble", commune_code="38185", status=PtceStatus.DRAFT, themes=["culture"]
    )
    MemberFactory(ptce=ptce, name="Recyclerie des Alpes")
    return ptce


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


def post_change(client, obj, admin_name, **changes):
    page = client.get(url(f"{admin_name}_change", obj.pk))
    data = change_form_data(page)
    for inline in page.context["inline_admin_formsets"]:
        for index, form in enumerate(inline.formset.initial_forms):
            data[f"{inline.formset.prefix}-{index}-id"] = form.instance.pk
    data.update(changes)
    response = client.post(url(f"{admin_name}_change", obj.pk), data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [inline.formset.errors for inline in response.context["inline_admin_formsets"]],
    )
    return response


def revert_data(response):
    """The revert form's fields with the values of the chosen version."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "all"):
            value = list(value.all())
        if value is None or value == "":
            continue
        if isinstance(value, list | tuple):
            value = [getattr(item, "pk", item) for item in value]
        data[name] = getattr(value, "pk", value)
    return data


def revert(client, ptce, record):
    revert_url = url("directory_ptce_simple_history", ptce.pk, record.pk)
    page = client.get(revert_url)
    assert page.status_code == 200
    return client.post(revert_url, revert_data(page))


def change_isere(client, ptce):
    """Name, status, a theme added, a member renamed: one submission of the change form."""
    changes = {"members-0-name": "Ressourcerie des Alpes"}
    themes = [theme("culture").pk, theme("habitat").pk]
    post_change(
        client,
        ptce,
        "directory_ptce",
        name="Pôle de Grenoble-Alpes",
        status="review",
        themes=themes,
        **changes,
    )


def version_before_last_change(ptce):
    """The PTCE's last version written before the latest admin submission."""
    records = list(Ptce.history.filter(id=ptce.pk).order_by("history_date"))
    first_by_admin = next(r for r in records if r.history_user_id is not None)
    return records[records.index(first_by_admin) - 1]


def test_the_history_page_shows_author_date_and_old_and_new_values(rtes, isere):
    change_isere(rtes, isere)

    page = rtes.get(url("directory_ptce_history", isere.pk))

    assert page.status_code == 200
    html = page.content.decode()
    assert "rtes" in html  # the author
    for text in (
        "Pôle de Grenoble",
        "Pôle de Grenoble-Alpes",
        "Brouillon",
        "Habitat",
        "Recyclerie des Alpes",
        "Ressourcerie des Alpes",
    ):
        assert text in html, text
    latest = Ptce.history.filter(id=isere.pk).latest()
    assert latest.history_user.username == "rtes"
    delta = latest.prev_record.diff_against(
        Ptce.history.filter(id=isere.pk).order_by("history_date").first()
    )
    assert "search_text" not in delta.changed_fields


def test_a_revert_restores_fields_themes_and_members_and_is_recorded(client, isere):
    national = make_curator("rtes", Role.NATIONAL)
    client.force_login(national)
    change_isere(client, isere)
    before = version_before_last_change(isere)
    reverter = make_curator("rtes-2", Role.NATIONAL)
    client.force_login(reverter)

    response = revert(client, isere, before)

    assert response.status_code == 302, response.context["adminform"].form.errors
    isere.refresh_from_db()
    assert isere.name == "Pôle de Grenoble"
    assert isere.status == PtceStatus.DRAFT
    assert [t.slug for t in isere.themes.all()] == ["culture"]
    assert [m.name for m in isere.members.all()] == ["Recyclerie des Alpes"]
    latest = Ptce.history.filter(id=isere.pk).latest()
    assert latest.history_user == reverter
    assert latest.name == "Pôle de Grenoble"
    assert Member.history.filter(ptce_id=isere.pk).latest().history_user == reverter


def test_a_regional_curator_cannot_revert_a_ptce_of_another_region(client, rtes_user):
    oise = PtceFactory(name="Pôle de Beauvais", commune_code="60057", status=PtceStatus.REVIEW)
    client.force_login(rtes_user)
    post_change(client, oise, "directory_ptce", name="Pôle du Beauvaisis")
    first = Ptce.history.filter(id=oise.pk).earliest()
    versions = Ptce.history.filter(id=oise.pk).count()
    client.force_login(regional("84"))
    revert_url = url("directory_ptce_simple_history", oise.pk, first.pk)

    page = client.get(revert_url)
    response = client.post(revert_url, revert_data(page))

    assert page.status_code == 200 and "_save" not in page.content.decode()
    assert response.status_code == 403
    assert Ptce.objects.get(pk=oise.pk).name == "Pôle du Beauvaisis"
    assert Ptce.history.filter(id=oise.pk).count() == versions


def test_a_regional_curator_reverts_a_ptce_of_its_region(client, rtes_user, isere):
    client.force_login(rtes_user)
    change_isere(client, isere)
    before = version_before_last_change(isere)
    cress = regional("84")
    client.force_login(cress)

    response = revert(client, isere, before)

    assert response.status_code == 302, response.context["adminform"].form.errors
    isere.refresh_from_db()
    assert isere.name == "Pôle de Grenoble"
    assert Ptce.history.filter(id=isere.pk).latest().history_user == cress


def test_a_revert_out_of_the_regional_scope_is_refused(client, rtes_user):
    ptce = PtceFactory(name="Pôle mobile", commune_code="60057", status=PtceStatus.REVIEW)
    client.force_login(rtes_user)
    post_change(client, ptce, "directory_ptce", seat_commune="", departement=departement("38").pk)
    in_oise = Ptce.history.filter(id=ptce.pk).earliest()
    versions = Ptce.history.filter(id=ptce.pk).count()
    client.force_login(regional("84"))

    response = revert(client, ptce, in_oise)

    assert response.status_code == 200
    assert "pas de votre ressort" in response.content.decode()
    assert Ptce.objects.get(pk=ptce.pk).departement.code == "38"
    assert Ptce.history.filter(id=ptce.pk).count() == versions


def test_a_revert_follows_the_status_transitions(rtes, isere):
    post_change(rtes, isere, "directory_ptce", status=PtceStatus.REVIEW)
    post_change(rtes, isere, "directory_ptce", status=PtceStatus.PUBLISHED)
    post_change(rtes, isere, "directory_ptce", status=PtceStatus.ARCHIVED)
    published = Ptce.history.filter(id=isere.pk, status=PtceStatus.PUBLISHED).latest()

    response = revert(rtes, isere, published)

    assert response.status_code == 200
    assert "non permis" in response.content.decode()
    assert Ptce.objects.get(pk=isere.pk).status == PtceStatus.ARCHIVED


def test_draft_edits_are_recorded(rtes, isere):
    post_change(rtes, isere, "directory_ptce", summary="Un résumé réécrit.")

    latest = Ptce.history.filter(id=isere.pk).latest()
    assert latest.status == PtceStatus.DRAFT
    assert latest.summary == "Un résumé réécrit."
    assert latest.history_user.username == "rtes"


def test_a_supports_change_is_recorded_with_old_and_new_values(rtes):
    support = SupportFactory(description="Une subvention de lancement.")

    post_change(rtes, support, "directory_support", description="Une subvention pluriannuelle.")

    latest = Support.history.filter(id=support.pk).latest()
    assert latest.history_user.username == "rtes"
    change = latest.diff_against(latest.prev_record).changes[0]
    assert (change.field, change.old, change.new) == (
        "description",
        "Une subvention de lancement.",
        "Une subvention pluriannuelle.",
    )
    html = rtes.get(url("directory_support_history", support.pk)).content.decode()
    assert "Une subvention de lancement." in html and "Une subvention pluriannuelle." in html


def test_a_schemes_change_is_recorded_and_reverted(rtes, rtes_user):
    scheme = SchemeFactory(name="Fonds régional", support_types=["investissement"])

    post_change(rtes, scheme, "collectivites_scheme", name="Fonds régional de coopération")

    latest = Scheme.history.filter(id=scheme.pk).latest()
    assert latest.history_user == rtes_user
    assert latest.diff_against(latest.prev_record).changed_fields == ["name"]
    html = rtes.get(url("collectivites_scheme_history", scheme.pk)).content.decode()
    assert "Fonds régional de coopération" in html
    first = Scheme.history.filter(id=scheme.pk).order_by("history_date").last().prev_record
    revert_url = url("collectivites_scheme_simple_history", scheme.pk, first.pk)
    response = rtes.post(revert_url, revert_data(rtes.get(revert_url)))
    assert response.status_code == 302
    assert Scheme.objects.get(pk=scheme.pk).name == "Fonds régional"
