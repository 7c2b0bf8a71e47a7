"""Moderation of supports and experiences (issue 10): they have the PTCEs' statuses and
transitions; only published ones are public (PTCE page, directory filter and facet counts,
territory pages, guide pages and counts, experiences list and page, map API); a regional
curator of Auvergne-Rhône-Alpes (84) is refused, with nothing written, for those of a
collectivité of the Oise (Hauts-de-France, 32) whatever the path; the national curator may;
a reader changes nothing; a collectivité contributor only proposes (its own collectivité,
draft or review, never published) and its proposals await the curators of its région; bulk
moderation actions are all or nothing."""

import html

import pytest
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.urls import reverse

from backoffice.models import Role
from core.models import PublicDataVersion
from directory.models import Experience, Ptce, PtceStatus, Support
from pages.guide_views import support_types_with_counts

from .backoffice_helpers import change_form_data, make_curator, regional
from .directory_helpers import facet
from .factories import ExperienceFactory, PtceFactory, SupportFactory, departement, support_type

pytestmark = pytest.mark.django_db

SECRET_SUPPORT = "Aide encore en brouillon"
SECRET_STORY = "Récit encore en brouillon"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def beauvais():
    return PtceFactory(name="Pôle de Beauvais", commune_code="60057")


@pytest.fixture
def grenoble():
    return PtceFactory(name="Pôle de Grenoble", commune_code="38185")


@pytest.fixture
def oise_support(beauvais):
    return SupportFactory(
        ptce=beauvais,
        collectivite=departement("60"),
        support_type=support_type("investissement"),
        description=SECRET_SUPPORT,
        status=PtceStatus.REVIEW,
    )


@pytest.fixture
def oise_experience(beauvais):
    return ExperienceFactory(
        slug="recit-de-l-oise",
        title=SECRET_STORY,
        collectivite=departement("60"),
        ptce=beauvais,
        support_types=["investissement"],
        status=PtceStatus.REVIEW,
    )


@pytest.fixture
def isere_support(grenoble):
    return SupportFactory(
        ptce=grenoble,
        collectivite=departement("38"),
        support_type=support_type("investissement"),
        status=PtceStatus.REVIEW,
    )


@pytest.fixture
def cress(client):
    client.force_login(regional("84"))
    return client


@pytest.fixture
def rtes(client):
    client.force_login(make_curator("rtes", Role.NATIONAL))
    return client


@pytest.fixture
def isere_contributor(client):
    client.force_login(make_curator("isere", Role.COLLECTIVITE, collectivite=departement("38")))
    return client


def text(response):
    return html.unescape(response.content.decode())


def url_of(obj, action="change"):
    return reverse(f"admin:directory_{obj._meta.model_name}_{action}", args=[obj.pk])


def changelist(model):
    return reverse(f"admin:directory_{model._meta.model_name}_changelist")


def status_of(obj):
    return type(obj).objects.get(pk=obj.pk).status


def bulk(client, model, action, *objects):
    response = client.post(
        changelist(model),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )
    return text(response)


# --- what the public sees ---------------------------------------------------------------------
def public_places(client, ptce, experience):
    """The text of every public place where a support or an experience shows or counts."""
    pages = {
        "ptce": client.get(ptce.get_absolute_url()),
        "territory": client.get("/territoires/departement/60/"),
        "region": client.get("/territoires/region/32/"),
        "guide": client.get("/soutenir/investissement/"),
        "experiences": client.get("/experiences/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: text(response) for name, response in pages.items()}


def investment_counts():
    row = support_types_with_counts().get(slug="investissement")
    return (row.experience_count, row.collectivite_count, row.ptce_count)


def test_a_draft_support_or_experience_is_public_nowhere_until_published(
    client, oise_support, oise_experience
):
    for status in (PtceStatus.DRAFT, PtceStatus.REVIEW, PtceStatus.ARCHIVED):
        Support.objects.filter(pk=oise_support.pk).update(status=status)
        Experience.objects.filter(pk=oise_experience.pk).update(status=status)
        cache.clear()
        for name, page in public_places(client, oise_support.ptce, oise_experience).items():
            assert SECRET_SUPPORT not in page, (status, name)
            assert SECRET_STORY not in page, (status, name)
        assert client.get(oise_experience.get_absolute_url()).status_code == 404
        directory = client.get("/ptce/", {"support": "investissement"})
        assert "Pôle de Beauvais" not in text(directory)
        assert facet(client.get("/ptce/"), "support")["investissement"] == 0
        geojson = client.get("/api/v1/ptce.geojson", {"support": "investissement"}).json()
        assert geojson["features"] == []
        assert investment_counts() == (0, 0, 0)

    for entry in (oise_support, oise_experience):
        entry.refresh_from_db()
        entry.status = PtceStatus.PUBLISHED
        entry.save()
    pages = public_places(client, oise_support.ptce, oise_experience)
    assert all(SECRET_SUPPORT in pages[name] for name in ("ptce", "territory", "guide"))
    assert all(SECRET_STORY in pages[name] for name in ("ptce", "territory", "experiences"))
    assert client.get(oise_experience.get_absolute_url()).status_code == 200
    assert "Pôle de Beauvais" in text(client.get("/ptce/", {"support": "investissement"}))
    assert facet(client.get("/ptce/"), "support")["investissement"] == 1
    assert investment_counts() == (1, 1, 1)


def test_a_published_support_of_a_draft_ptce_stays_hidden(client, oise_support):
    Ptce.objects.filter(pk=oise_support.ptce_id).update(status=PtceStatus.DRAFT)
    Support.objects.filter(pk=oise_support.pk).update(status=PtceStatus.PUBLISHED)

    assert SECRET_SUPPORT not in text(client.get("/territoires/departement/60/"))
    assert not Support.objects.published().exists()


def version():
    return PublicDataVersion.objects.get().value


def test_writes_of_drafts_move_no_public_version_and_publishing_does(oise_support):
    before = version()
    oise_support.description = "Autre texte"
    oise_support.save()
    draft = ExperienceFactory(status=PtceStatus.DRAFT)
    draft.support_types.set([support_type("investissement")])
    draft.delete()
    assert version() == before

    oise_support.status = PtceStatus.PUBLISHED
    oise_support.save()
    published = version()
    assert published > before
    oise_support.status = PtceStatus.ARCHIVED
    oise_support.save()  # it was public: the public sees it go
    assert version() > published


# --- a regional curator out of its région ----------------------------------------------------
def post_change(client, obj, **changes):
    data = change_form_data(client.get(url_of(obj)))
    data.update(changes)
    return client.post(url_of(obj), data)


def unchanged(obj, before):
    fresh = type(obj).objects.get(pk=obj.pk)
    return (fresh.status, fresh.collectivite_id, fresh.ptce_id) == before


def state(obj):
    return (obj.status, obj.collectivite_id, obj.ptce_id)


@pytest.mark.parametrize("entry", ["oise_support", "oise_experience"])
def test_a_regional_curator_is_refused_another_regions_entries_whatever_the_path(
    cress, request, entry
):
    obj = request.getfixturevalue(entry)
    before = state(obj)

    page = cress.get(url_of(obj))
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    data = {"status": "published", "collectivite": obj.collectivite_id, "ptce": obj.ptce_id}
    assert cress.post(url_of(obj), data).status_code == 403
    assert cress.post(url_of(obj, "delete"), {"post": "yes"}).status_code == 403
    page = bulk(cress, type(obj), "publish", obj)
    assert "Rien n'a été modifié" in page and str(obj) in page
    deletion = cress.post(
        changelist(type(obj)),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert deletion.status_code == 403
    assert unchanged(obj, before)


def test_the_supports_inline_of_another_regions_ptce_is_refused(cress, oise_support):
    ptce_url = reverse("admin:directory_ptce_change", args=[oise_support.ptce_id])
    data = {
        "supports-TOTAL_FORMS": "1",
        "supports-INITIAL_FORMS": "1",
        "supports-0-id": oise_support.pk,
        "supports-0-ptce": oise_support.ptce_id,
        "supports-0-collectivite": oise_support.collectivite_id,
        "supports-0-support_type": oise_support.support_type_id,
        "supports-0-status": "published",
    }

    assert cress.post(ptce_url, data).status_code == 403
    assert status_of(oise_support) == PtceStatus.REVIEW


def test_a_regional_curator_publishes_its_regions_entries(cress, isere_support, grenoble):
    response = post_change(cress, isere_support, status="published")

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert status_of(isere_support) == PtceStatus.PUBLISHED
    # it cannot move its entry out of its région (to a collectivité and a PTCE of the Oise)
    oise_ptce = PtceFactory(name="Pôle de l'Oise", commune_code="60057")
    moved = post_change(cress, isere_support, collectivite=departement("60").pk, ptce=oise_ptce.pk)
    assert "pas de votre ressort" in text(moved)
    assert Support.objects.get(pk=isere_support.pk).collectivite == departement("38")


def test_a_support_added_inline_moves_along_the_transitions(cress, grenoble):
    ptce_url = reverse("admin:directory_ptce_change", args=[grenoble.pk])
    data = change_form_data(cress.get(ptce_url))
    data.update(
        {
            "supports-TOTAL_FORMS": "1",
            "supports-0-collectivite": departement("38").pk,
            "supports-0-support_type": support_type("investissement").pk,
            "supports-0-status": "published",
        }
    )
    refused = cress.post(ptce_url, data)
    assert "non permis" in text(refused)
    assert not Support.objects.exists()

    data["supports-0-status"] = "review"
    assert cress.post(ptce_url, data).status_code == 302
    assert Support.objects.get().status == PtceStatus.REVIEW


def test_the_national_curator_may_do_it_all(rtes, oise_support, oise_experience):
    assert post_change(rtes, oise_support, status="published").status_code == 302
    assert status_of(oise_support) == PtceStatus.PUBLISHED
    page = bulk(rtes, Experience, "publish", oise_experience)
    assert "1 fiche passée au statut « Publié »" in page
    assert status_of(oise_experience) == PtceStatus.PUBLISHED
    assert rtes.post(url_of(oise_support, "delete"), {"post": "yes"}).status_code == 302
    assert not Support.objects.filter(pk=oise_support.pk).exists()


def test_a_reader_changes_nothing(client, oise_support):
    client.force_login(make_curator("lecteur", Role.READER))

    assert client.get(changelist(Support)).status_code == 200
    assert client.post(url_of(oise_support), {"status": "published"}).status_code == 403
    assert client.get(reverse("admin:directory_support_add")).status_code == 403
    response = client.post(
        changelist(Support), {"action": "publish", "_selected_action": [oise_support.pk]}
    )
    assert status_of(oise_support) == PtceStatus.REVIEW
    assert response.status_code in (200, 302)


# --- bulk actions ------------------------------------------------------------------------------
def test_a_bulk_action_is_all_or_nothing(cress, isere_support, oise_support, grenoble, beauvais):
    page = bulk(cress, Support, "publish", isere_support, oise_support)

    assert "Rien n'a été modifié" in page and str(oise_support) in page
    assert str(isere_support) not in page.split("Rien n'a été modifié")[1].split("\n")[0]
    assert status_of(isere_support) == status_of(oise_support) == PtceStatus.REVIEW

    Ptce.objects.filter(pk=grenoble.pk).update(status=PtceStatus.DRAFT)
    page = bulk(cress, Ptce, "publish", grenoble)  # draft -> published: no
    assert "Rien n'a été modifié" in page
    assert status_of(grenoble) == PtceStatus.DRAFT


def test_a_bulk_action_saves_each_object_with_its_history_and_log(cress, grenoble):
    Ptce.objects.filter(pk=grenoble.pk).update(status=PtceStatus.REVIEW)
    other = PtceFactory(name="Pôle de Vienne", commune_code="38544", status=PtceStatus.REVIEW)
    before = version()

    page = bulk(cress, Ptce, "publish", grenoble, other)

    assert "2 fiches passées au statut « Publié »" in page
    assert {status_of(grenoble), status_of(other)} == {PtceStatus.PUBLISHED}
    assert version() > before
    record = grenoble.history.latest()
    assert record.status == PtceStatus.PUBLISHED
    assert record.history_user.username == "cress-84"
    assert LogEntry.objects.filter(object_id=str(grenoble.pk)).count() == 1
    page = bulk(cress, Ptce, "archive", grenoble)
    assert status_of(grenoble) == PtceStatus.ARCHIVED
    page = bulk(cress, Ptce, "back_to_draft", grenoble)
    assert status_of(grenoble) == PtceStatus.DRAFT
    page = bulk(cress, Ptce, "send_to_review", grenoble)
    assert status_of(grenoble) == PtceStatus.REVIEW


# --- a collectivité contributor ----------------------------------------------------------------
def add_support(client, **fields):
    url = reverse("admin:directory_support_add")
    data = change_form_data(client.get(url))
    data.update(fields)
    return client.post(url, data)


def test_a_contributor_proposes_a_support_of_its_collectivite(isere_contributor, grenoble):
    form = isere_contributor.get(reverse("admin:directory_support_add")).context["adminform"].form
    assert form.fields["collectivite"].disabled
    assert [value for value, _label in form.fields["status"].choices] == ["draft", "review"]
    assert list(form.fields["ptce"].queryset) == [grenoble]  # the PTCEs of its territory

    response = add_support(
        isere_contributor,
        collectivite=departement("60").pk,  # ignored: its collectivité is fixed
        ptce=grenoble.pk,
        support_type=support_type("investissement").pk,
        status="review",
    )

    assert response.status_code == 302
    support = Support.objects.get()
    assert (support.collectivite, support.status) == (departement("38"), PtceStatus.REVIEW)


def test_a_contributor_never_publishes(isere_contributor, grenoble, beauvais):
    published = add_support(
        isere_contributor,
        ptce=grenoble.pk,
        support_type=support_type("investissement").pk,
        status="published",
    )
    elsewhere = add_support(
        isere_contributor,
        ptce=beauvais.pk,  # not a PTCE of its territory
        support_type=support_type("investissement").pk,
        status="draft",
    )
    assert published.status_code == elsewhere.status_code == 200
    assert not Support.objects.exists()

    own = SupportFactory(ptce=grenoble, collectivite=departement("38"), status=PtceStatus.DRAFT)
    bulk(isere_contributor, Support, "publish", own)
    assert status_of(own) == PtceStatus.DRAFT
    bulk(isere_contributor, Support, "send_to_review", own)
    assert status_of(own) == PtceStatus.REVIEW
    assert post_change(isere_contributor, own, status="published").status_code == 200
    assert status_of(own) == PtceStatus.REVIEW


def test_a_contributor_cannot_touch_published_entries_or_another_collectivites(
    isere_contributor, isere_support, oise_support, grenoble
):
    own_published = SupportFactory(
        ptce=grenoble, collectivite=departement("38"), support_type=support_type("foncier-locaux")
    )
    assert isere_contributor.post(url_of(own_published), {"status": "draft"}).status_code == 403
    assert status_of(own_published) == PtceStatus.PUBLISHED
    # another collectivité's entry is not even listed
    listed = isere_contributor.get(changelist(Support)).context["cl"].result_list
    assert oise_support not in listed and isere_support in listed
    response = isere_contributor.post(url_of(oise_support), {"status": "draft"})
    assert response.status_code in (302, 403, 404)
    assert isere_contributor.post(url_of(oise_support, "delete"), {"post": "yes"}).status_code in (
        302,
        403,
        404,
    )
    assert status_of(oise_support) == PtceStatus.REVIEW
    assert Support.objects.filter(pk=oise_support.pk).exists()


def test_a_contributor_sees_the_ptces_of_its_territory_read_only(
    isere_contributor, grenoble, beauvais
):
    listed = isere_contributor.get(reverse("admin:directory_ptce_changelist"))
    assert list(listed.context["cl"].result_list) == [grenoble]
    page = isere_contributor.get(reverse("admin:directory_ptce_change", args=[grenoble.pk]))
    assert page.context["has_change_permission"] is False


def test_the_contributors_proposals_await_the_curators_of_its_region(
    client, isere_contributor, isere_support, oise_support
):
    home = text(isere_contributor.get(reverse("admin:index")))
    assert "Ma collectivité" in home and str(isere_support) in home and "En relecture" in home
    assert str(oise_support) not in home

    client.force_login(regional("84"))
    home = client.get(reverse("admin:index"))
    tasks = {str(task.label): task for task in home.context["curation_tasks"]}
    assert tasks["Soutiens à relire"].count == 1  # the Isère's, not the Oise's
    listed = client.get(tasks["Soutiens à relire"].url).context["cl"].result_list
    assert list(listed) == [isere_support]
    client.force_login(regional("32"))
    tasks = {str(t.label): t for t in client.get(reverse("admin:index")).context["curation_tasks"]}
    assert tasks["Soutiens à relire"].count == 1
    assert tasks["Retours d'expérience à relire"].count == 0


# --- list filters ------------------------------------------------------------------------------
def test_supports_and_experiences_filter_by_status_region_and_type(
    rtes, isere_support, oise_support, oise_experience
):
    def listed(model, **parameters):
        response = rtes.get(changelist(model), parameters)
        assert response.status_code == 200
        return set(response.context["cl"].result_list)

    Support.objects.filter(pk=isere_support.pk).update(status=PtceStatus.PUBLISHED)
    assert listed(Support, status__exact="review") == {oise_support}
    assert listed(Support, region="84") == {isere_support}
    assert listed(Support, region="32") == {oise_support}
    assert listed(Support, support_type__id__exact=support_type("foncier-locaux").pk) == set()
    assert listed(Experience, region="32", status__exact="review") == {oise_experience}
    assert listed(Experience, region="84") == set()


def test_a_contributor_tells_an_experience_of_its_collectivite(isere_contributor, grenoble):
    url = reverse("admin:directory_experience_add")
    data = change_form_data(isere_contributor.get(url))
    data.update(
        slug="notre-recit",
        title="Notre récit",
        summary="Ce que le Département a fait.",
        source="Département de l'Isère",
        ptce=grenoble.pk,
        status="review",
    )

    assert isere_contributor.post(url, data).status_code == 302
    experience = Experience.objects.get(slug="notre-recit")
    assert (experience.collectivite, experience.status) == (departement("38"), PtceStatus.REVIEW)
    assert isere_contributor.get("/experiences/notre-recit/").status_code == 404

    actions = isere_contributor.get(changelist(Experience)).context["action_form"]
    offered = {value for value, _label in actions.fields["action"].choices}
    assert {"send_to_review", "back_to_draft"} <= offered
    assert not {"publish", "archive"} & offered
