"""Public suggestions (issue 10, item 6): a visitor proposes a new PTCE or a correction,
nothing public changes; the curators of the région hear of it, see the differences, accept
(the PTCE changes, the history records it, a new PTCE is created in review) or decline with a
reason; the proposer hears of the decision. Honeypot, rate limit, sizes and CSRF refuse
without storing; the form pages are never stored by the whole-page cache."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from backoffice.models import Role
from directory.models import Ptce, PtceStatus
from suggestions.fields import current_values
from suggestions.models import Suggestion, SuggestionKind, SuggestionStatus

from .backoffice_helpers import make_curator, regional
from .directory_helpers import make_ptce

pytestmark = pytest.mark.django_db

PROPOSE = "/proposer/"
CONTACT = "contact@ptce.example.org"


def new_data(**changes):
    data = {
        "nom": "Pôle des Bocages",
        "commune_insee": "03095",
        "departement": "",
        "thematiques": ["culture"],
        "description": "Un pôle qui relie les recycleries du bocage.",
        "proposer_name": "Alice",
        "proposer_email": "alice@example.org",
        "url": "",
    }
    data.update(changes)
    return data


def correction_data(ptce, **changes):
    data = {k: v for k, v in current_values(ptce).items() if v not in ("", None, [])}
    data.update(proposer_email="alice@example.org", url="")
    data.update(changes)
    return data


def correct_url(ptce):
    return f"/ptce/{ptce.slug}/corriger/"


@pytest.fixture
def cusset_ptce():
    return make_ptce(
        "Pôle de Cusset", commune="03095", description="Ancienne description.", themes=["culture"]
    )


@pytest.fixture
def oise_ptce():
    return make_ptce("Pôle de Beauvais", commune="60057", description="Texte de l'Oise.")


def propose(client, data, url=PROPOSE, **extra):
    return client.post(url, data, **extra)


def review_url(suggestion):
    return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])


def accept_url(suggestion):
    return reverse("admin:suggestions_accept", args=[suggestion.pk])


def decline_url(suggestion):
    return reverse("admin:suggestions_decline", args=[suggestion.pk])


# --- proposing ---------------------------------------------------------------------------
def test_a_new_ptce_is_proposed_confirmed_and_nothing_is_published(client):
    assert client.get(PROPOSE).status_code == 200
    ptces_before = Ptce.objects.count()

    response = propose(client, new_data())

    assert response.status_code == 302
    assert response["Location"] == "/proposer/merci/"
    page = client.get(response["Location"]).content.decode()
    assert "Merci pour votre proposition" in page
    assert "n'est pas publiée" in page
    suggestion = Suggestion.objects.get()
    assert suggestion.kind == SuggestionKind.NEW
    assert suggestion.status == SuggestionStatus.OPEN
    assert suggestion.departement.code == "03"
    assert suggestion.values["nom"] == "Pôle des Bocages"
    assert suggestion.values["thematiques"] == ["culture"]
    assert suggestion.proposer_email == "alice@example.org"
    assert len(suggestion.ip_hash) == 64 and "127.0.0.1" not in suggestion.ip_hash
    assert Ptce.objects.count() == ptces_before
    assert "Pôle des Bocages" not in client.get("/ptce/").content.decode()


def test_a_commune_and_a_departement_that_disagree_are_refused(client):
    response = propose(client, new_data(departement="60"))

    assert response.status_code == 200
    assert "est dans le département 03" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_every_ptce_page_links_to_a_prefilled_correction_form(client, cusset_ptce):
    page = client.get(cusset_ptce.get_absolute_url()).content.decode()
    assert f'href="{correct_url(cusset_ptce)}"' in page
    assert "Proposer une correction" in page

    response = client.get(correct_url(cusset_ptce))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["nom"] == "Pôle de Cusset"
    assert form.initial["commune_insee"] == "03095"
    assert form.initial["description"] == "Ancienne description."
    assert 'value="Pôle de Cusset"' in response.content.decode()


def test_a_correction_is_stored_and_the_public_page_does_not_change(client, cusset_ptce):
    data = correction_data(cusset_ptce, description="Nouvelle description.", message="Source : AG")

    response = propose(client, data, url=correct_url(cusset_ptce))

    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.kind == SuggestionKind.CORRECTION
    assert suggestion.ptce == cusset_ptce
    assert suggestion.message == "Source : AG"
    cusset_ptce.refresh_from_db()
    assert cusset_ptce.description == "Ancienne description."
    page = client.get(cusset_ptce.get_absolute_url()).content.decode()
    assert "Ancienne description." in page and "Nouvelle description." not in page


def test_a_correction_that_changes_nothing_and_says_nothing_is_refused(client, cusset_ptce):
    response = propose(client, correction_data(cusset_ptce), url=correct_url(cusset_ptce))

    assert response.status_code == 200
    assert "Modifiez au moins une information" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_only_a_published_ptce_can_be_corrected(client):
    draft = make_ptce("Pôle en brouillon", commune="03095", status=PtceStatus.DRAFT)

    assert client.get(correct_url(draft)).status_code == 404


# --- spam ----------------------------------------------------------------------------------
def test_the_honeypot_refuses_with_a_clear_message_and_stores_nothing(client):
    page = client.get(PROPOSE).content.decode()
    assert 'class="hp-field"' in page and 'style="' not in page

    response = propose(client, new_data(url="http://spam.example"))

    assert response.status_code == 400
    assert "un champ qui doit rester vide a été rempli" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_the_honeypot_is_hidden_by_the_stylesheet(client):
    css = client.get("/static/css/portal.css")
    assert b".hp-field" in b"".join(css.streaming_content)


def test_beyond_the_hourly_limit_a_sender_is_refused_and_nothing_is_stored(client, settings):
    settings.SUGGESTIONS_PER_HOUR = 2
    for name in ("Pôle un", "Pôle deux"):
        assert propose(client, new_data(nom=name)).status_code == 302

    response = propose(client, new_data(nom="Pôle trois"))

    assert response.status_code == 429
    assert "le maximum" in response.content.decode()
    assert Suggestion.objects.count() == 2
    cache.clear()  # the stored suggestions still count
    assert propose(client, new_data(nom="Pôle quatre")).status_code == 429
    assert Suggestion.objects.count() == 2
    other = Client(REMOTE_ADDR="192.0.2.10")
    assert propose(other, new_data(nom="Pôle d'ailleurs")).status_code == 302


@pytest.mark.parametrize(
    ("field", "size"),
    [("nom", 201), ("description", 5001), ("message", 2001), ("proposer_name", 101)],
)
def test_every_field_has_a_size_limit(client, field, size):
    response = propose(client, new_data(**{field: "a" * size}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Suggestion.objects.exists()


def test_a_post_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)

    assert client.post(PROPOSE, new_data()).status_code == 403
    assert not Suggestion.objects.exists()


def test_the_form_pages_are_never_stored_by_the_whole_page_cache(client, cusset_ptce):
    # The cache does store an ordinary public page (the check below is not vacuous).
    assert client.get("/ptce/")["X-Portal-Cache"] == "stored"
    for url in (PROPOSE, correct_url(cusset_ptce), "/proposer/merci/"):
        first = client.get(url)
        second = client.get(url)
        assert first.status_code == second.status_code == 200
        assert "X-Portal-Cache" not in first and "X-Portal-Cache" not in second, url
        assert "no-store" in first["Cache-Control"]
    form_page = client.get(PROPOSE)
    assert "Cookie" in form_page["Vary"]
    assert "csrftoken" in form_page.cookies or "csrftoken" in client.cookies


# --- curators ------------------------------------------------------------------------------
@pytest.fixture
def cress(client):
    client.force_login(regional("84"))
    return client


def stored(data, ptce=None):
    """Propose (a correction of ``ptce``, or a new PTCE) as an anonymous visitor with a
    client of its own, and return the suggestion."""
    url = correct_url(ptce) if ptce is not None else PROPOSE
    assert propose(Client(), data, url=url).status_code == 302
    return Suggestion.objects.latest("pk")


def test_the_regional_curators_hear_of_a_suggestion_of_their_region(
    django_capture_on_commit_callbacks,
):
    regional("84")
    make_curator("rtes", Role.NATIONAL)
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = stored(new_data())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["cress-84@example.org"]
    assert "Pôle des Bocages" in message.subject
    assert review_url(suggestion) in message.body
    assert message.body.count("http://") >= 1


def test_the_national_curators_hear_of_one_where_no_region_has_curators(
    django_capture_on_commit_callbacks,
):
    regional("84")
    make_curator("rtes", Role.NATIONAL)
    with django_capture_on_commit_callbacks(execute=True):
        stored(new_data(commune_insee="60057", nom="Pôle de l'Oise"))

    assert [message.to for message in mail.outbox] == [["rtes@example.org"]]


def test_the_queue_shows_the_differences_from_the_current_entry(cress, cusset_ptce):
    suggestion = stored(
        correction_data(cusset_ptce, description="Nouvelle description.", nom="Pôle C"), cusset_ptce
    )

    listing = cress.get(reverse("admin:suggestions_suggestion_changelist"))
    assert listing.status_code == 200
    assert "Pôle de Cusset" in listing.content.decode()
    response = cress.get(review_url(suggestion))

    assert response.status_code == 200
    rows = {str(field.label): (old, new) for field, old, new in response.context["changes"]}
    assert rows == {
        "Nom": ("Pôle de Cusset", "Pôle C"),
        "Description": ("Ancienne description.", "Nouvelle description."),
    }
    page = response.content.decode()
    assert "Valeur actuelle" in page and "Ancienne description." in page
    assert accept_url(suggestion) in page


def test_accepting_a_correction_changes_the_ptce_publicly_and_records_it(
    cress, client, cusset_ptce, django_capture_on_commit_callbacks
):
    suggestion = stored(
        correction_data(cusset_ptce, description="Nouvelle description."), cusset_ptce
    )
    assert "Ancienne description." in Client().get(cusset_ptce.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = cress.post(accept_url(suggestion))

    assert response.status_code == 302
    cusset_ptce.refresh_from_db()
    assert cusset_ptce.description == "Nouvelle description."
    assert cusset_ptce.status == PtceStatus.PUBLISHED
    page = Client().get(cusset_ptce.get_absolute_url()).content.decode()
    assert "Nouvelle description." in page
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert suggestion.processed_by.username == "cress-84"
    assert suggestion.processed_at is not None
    entry = LogEntry.objects.get(object_id=str(cusset_ptce.pk))
    assert "Suggestion n°" in entry.get_change_message() and "Description" in str(entry)
    if hasattr(Ptce, "history"):  # django-simple-history, when the PTCE's history is kept
        assert "Suggestion" in (cusset_ptce.history.first().history_change_reason or "")
    to_proposer = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert len(to_proposer) == 1 and "acceptée" in to_proposer[0].subject
    assert cusset_ptce.get_absolute_url() in to_proposer[0].body


def test_accepting_a_new_ptce_creates_it_in_review_never_published(cress, client):
    suggestion = stored(new_data())

    response = cress.post(accept_url(suggestion))

    assert response.status_code == 302
    created = Ptce.objects.get(name="Pôle des Bocages")
    assert created.status == PtceStatus.REVIEW
    assert created.seat_commune.code == "03095" and created.departement.code == "03"
    assert list(created.themes.values_list("slug", flat=True)) == ["culture"]
    assert created.latitude is not None
    suggestion.refresh_from_db()
    assert suggestion.ptce == created and suggestion.status == SuggestionStatus.ACCEPTED
    assert Client().get(created.get_absolute_url()).status_code == 404
    assert LogEntry.objects.filter(object_id=str(created.pk)).exists()


def test_edit_then_accept_opens_the_ptce_change_form(cress, cusset_ptce):
    suggestion = stored(correction_data(cusset_ptce, resume="Un résumé proposé."), cusset_ptce)

    response = cress.post(accept_url(suggestion), {"_edit": "1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:directory_ptce_change", args=[cusset_ptce.pk])
    cusset_ptce.refresh_from_db()
    assert cusset_ptce.summary == "Un résumé proposé."


def test_a_suggestion_is_processed_once(cress, cusset_ptce):
    suggestion = stored(correction_data(cusset_ptce, resume="Un résumé."), cusset_ptce)
    cress.post(accept_url(suggestion))

    response = cress.post(decline_url(suggestion), {"reason": "Doublon"}, follow=True)

    assert "déjà été traitée" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED


def test_declining_needs_a_reason_and_tells_the_proposer(
    cress, cusset_ptce, django_capture_on_commit_callbacks
):
    suggestion = stored(
        correction_data(cusset_ptce, description="Fausse description."), cusset_ptce
    )

    assert cress.post(decline_url(suggestion), {"reason": ""}).status_code == 400
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        response = cress.post(decline_url(suggestion), {"reason": "Information non vérifiable."})

    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DECLINED
    assert suggestion.decline_reason == "Information non vérifiable."
    cusset_ptce.refresh_from_db()
    assert cusset_ptce.description == "Ancienne description."
    (message,) = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert "pas été retenue" in message.subject
    assert "Information non vérifiable." in message.body


def test_a_regional_curator_cannot_process_a_suggestion_outside_its_region(cress, oise_ptce):
    suggestion = stored(correction_data(oise_ptce, description="Détournée."), oise_ptce)
    new = stored(new_data(commune_insee="60057", nom="Pôle picard"))

    listing = cress.get(reverse("admin:suggestions_suggestion_changelist")).content.decode()
    assert "Pôle de Beauvais" not in listing and "Pôle picard" not in listing
    assert cress.get(review_url(suggestion)).status_code == 404
    assert cress.post(accept_url(suggestion)).status_code == 403
    assert cress.post(accept_url(new)).status_code == 403
    assert cress.post(decline_url(suggestion), {"reason": "Non"}).status_code == 403
    oise_ptce.refresh_from_db()
    assert oise_ptce.description == "Texte de l'Oise."
    assert not Ptce.objects.filter(name="Pôle picard").exists()
    assert set(Suggestion.objects.values_list("status", flat=True)) == {SuggestionStatus.OPEN}


def test_a_regional_curator_cannot_move_a_ptce_out_of_its_region(cress, cusset_ptce):
    suggestion = stored(
        correction_data(cusset_ptce, commune_insee="60057", departement="60"), cusset_ptce
    )

    response = cress.post(accept_url(suggestion), follow=True)

    assert "pas de votre ressort" in response.content.decode()
    cusset_ptce.refresh_from_db()
    assert cusset_ptce.departement.code == "03"
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN


def test_a_reader_sees_no_suggestion(client, cusset_ptce):
    suggestion = stored(correction_data(cusset_ptce, resume="Un résumé."), cusset_ptce)
    client.force_login(make_curator("lecteur", Role.READER))

    assert client.get(reverse("admin:suggestions_suggestion_changelist")).status_code == 403
    assert client.post(accept_url(suggestion)).status_code == 403


# --- contact address -----------------------------------------------------------------------
def test_the_contact_address_is_in_every_footer_and_on_the_login_page(client, cusset_ptce):
    for url in ("/", "/ptce/", cusset_ptce.get_absolute_url(), PROPOSE):
        assert f'href="mailto:{CONTACT}"' in client.get(url).content.decode(), url

    login = client.get("/admin/login/").content.decode()

    assert f'href="mailto:{CONTACT}"' in login
    assert "Pas encore de compte" in login
    assert 'name="username"' in login  # the admin's own form is still there
