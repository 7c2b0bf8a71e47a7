"""What the public may send: the suggestion forms (``/proposer/``, ``/ptce/<slug>/corriger/``)
with an attack string in every field, read back by the visitor (the form again, with its
errors) and by the curators (the moderation queue, the review page, the PTCE created from it).
Rate limit of the forms with a forged ``X-Forwarded-For``. (Size limits, honeypot, CSRF and
the hourly limit itself: tests/test_suggestions.py.)"""

import pytest
from django.core.validators import URLValidator
from django.test import Client

from directory.models import Ptce
from suggestions.models import Suggestion

from .directory_helpers import make_ptce
from .security_helpers import PAYLOADS, STORED_PAYLOADS, fits, html_problems

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TEXT_FIELDS = {
    "nom": 200,
    "resume": 400,
    "description": 5000,
    "structure_porteuse": 200,
    "telephone": 30,
    "message": 2000,
    "proposer_name": 100,
}


@pytest.fixture(autouse=True)
def unlimited(settings):
    settings.SUGGESTIONS_PER_HOUR = 1000


def web_address(payload):
    """A valid address carrying the payload, or "" when URLValidator would refuse it."""
    address = fits(f"https://example.org/{payload}", 300)
    try:
        URLValidator(schemes=["http", "https"])(address)
    except Exception:
        return ""
    return address


def form_data(payload, cut=True):
    data = {name: fits(payload, size) if cut else payload for name, size in TEXT_FIELDS.items()}
    data |= {
        "commune_insee": "03095",
        "departement": "",
        "site_web": web_address(payload),
        "courriel": "",
        "proposer_email": "",
        "url": "",
    }
    return data


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_the_form_shows_what_was_sent_back_escaped(client, payload):
    """Every field, the codes and the honeypot included, uncut: the form comes back with its
    errors (or the thanks page)."""
    data = form_data(payload, cut=False) | {
        "commune_insee": payload,
        "departement": payload,
        "site_web": payload,
        "courriel": payload,
        "proposer_email": payload,
        "thematiques": [payload],
        "stade": payload,
        "forme_juridique": payload,
    }
    found = {}
    for label, extra in {"form": {}, "honeypot": {"url": payload}}.items():
        response = client.post("/proposer/", data | extra)
        problems = html_problems(response.content.decode(), payload)
        if response.status_code not in (200, 302, 400):
            problems.append(f"status {response.status_code}")
        if problems:
            found[label] = problems
    assert found == {}


def curator_pages(admin_client, suggestion):
    pages = [
        "/admin/",
        "/admin/suggestions/suggestion/",
        "/admin/suggestions/suggestion/?statut=all",
        f"/admin/suggestions/suggestion/{suggestion.pk}/change/",
    ]
    return {url: admin_client.get(url) for url in pages}


@pytest.mark.parametrize("payload", STORED_PAYLOADS.values(), ids=STORED_PAYLOADS.keys())
def test_a_new_ptce_proposed_by_the_public_reaches_the_curators_as_text(admin_client, payload):
    response = Client().post("/proposer/", form_data(payload))
    assert response.status_code == 302, response.content.decode()[:3000]
    suggestion = Suggestion.objects.get()
    admin_client.raise_request_exception = False

    pages = curator_pages(admin_client, suggestion)
    accepted = admin_client.post(f"/admin/suggestions/suggestion/{suggestion.pk}/accepter/")
    created = Ptce.objects.get()
    pages["the PTCE created"] = admin_client.get(f"/admin/directory/ptce/{created.pk}/change/")

    assert accepted.status_code == 302
    assert created.status != "published"
    found = {
        url: [*html_problems(page.content.decode(), payload)]
        + ([f"status {page.status_code}"] if page.status_code != 200 else [])
        for url, page in pages.items()
    }
    assert {url: problems for url, problems in found.items() if problems} == {}


@pytest.mark.parametrize("payload", STORED_PAYLOADS.values(), ids=STORED_PAYLOADS.keys())
def test_a_correction_sent_by_the_public_reaches_the_curators_as_text(admin_client, payload):
    ptce = make_ptce("Pôle de Cusset", commune="03095", description="Texte.")
    data = form_data(payload)
    response = Client().post(f"/ptce/{ptce.slug}/corriger/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    admin_client.raise_request_exception = False

    pages = curator_pages(admin_client, Suggestion.objects.get())

    found = {url: html_problems(page.content.decode(), payload) for url, page in pages.items()}
    assert {url: problems for url, problems in found.items() if problems} == {}
    assert {url: page.status_code for url, page in pages.items() if page.status_code != 200} == {}


def test_a_sender_cannot_escape_the_hourly_limit_with_a_forged_forwarded_for(settings):
    settings.SUGGESTIONS_PER_HOUR = 2
    client = Client(REMOTE_ADDR="192.0.2.20")

    statuses = [
        client.post(
            "/proposer/",
            form_data(f"Pôle n°{n}") | {"telephone": ""},
            headers={"X-Forwarded-For": f"10.0.0.{n}"},
        ).status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert Suggestion.objects.count() == 2


def test_a_line_break_in_a_proposed_name_injects_no_mail_header(
    admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    """The curators' notification names the PTCE in its subject
    (``backoffice/notifications.py``): the subject is one line whatever was typed."""
    name = "Pôle\r\nBcc: intrus@evil.example\r\nX-Injected: 1"
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/proposer/", form_data(name) | {"telephone": ""})

    assert response.status_code == 302
    (message,) = mailoutbox
    headers = message.message()
    assert message.recipients() == [admin_user.email]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert headers["Bcc"] is None and headers["X-Injected"] is None
