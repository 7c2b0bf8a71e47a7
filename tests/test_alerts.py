"""E-mail alerts (issue 11, item 7): subscribe to the new PTCEs of a territory (optionally a
theme) with a double opt-in; ``send_alerts`` sends one digest per confirmed subscription,
with only the PTCEs first published since the last one, in its territory and theme, never a
draft, nothing when there is nothing new; one-click unsubscribe in every message; no address
shown anywhere; honeypot and rate limits as for the suggestions."""

import re
from datetime import timedelta
from html import unescape
from io import StringIO

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from alerts import services
from alerts.models import Subscription
from alerts.tokens import CONFIRM_SALT
from directory.models import Ptce, PtceStatus

from .directory_helpers import make_ptce

pytestmark = pytest.mark.django_db

ADDRESS = "camille.dupont@example.org"
SUBSCRIBE = "/alertes/"


def subscribe(client, territoire="departement-03", theme="", email=ADDRESS, **extra):
    data = {"email": email, "territoire": territoire, "theme": theme, "url": ""}
    data.update(extra)
    return client.post(SUBSCRIBE, data)


def link_in(message, kind):
    return re.search(rf"http://127\.0\.0\.1:8000(/alertes/{kind}/[^/\s]+/)", message.body).group(1)


def confirmed(client, **kwargs):
    """Subscribe and confirm; the subscription."""
    mail.outbox.clear()
    subscribe(client, **kwargs)
    url = link_in(mail.outbox[-1], "confirmer")
    client.post(url)
    mail.outbox.clear()
    return Subscription.objects.get(email=kwargs.get("email", ADDRESS))


def publish(name, when, **fields):
    ptce = make_ptce(name, **fields)
    Ptce.objects.filter(pk=ptce.pk).update(published_at=when)
    return ptce


def send(now=None):
    return services.send_digests(now=now)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"


# --- subscription ---------------------------------------------------------------------------
def test_the_territory_page_and_the_directory_link_to_the_subscription(client):
    territory = client.get("/territoires/departement/03/").content.decode()
    directory = client.get("/ptce/").content.decode()

    assert 'action="/alertes/"' in territory and 'value="departement-03"' in territory
    assert 'action="/alertes/"' in directory
    # A GET form: these pages set no cookie and stay in the whole-page cache.
    assert "csrfmiddlewaretoken" not in territory + directory


def test_the_subscription_page_names_the_territory_given_by_the_link(client):
    body = client.get(SUBSCRIBE, {"territoire": "departement-03"}).content.decode()

    assert "dans l&#x27;Allier" in body or "dans l'Allier" in body
    assert 'type="hidden" name="territoire" value="departement-03"' in body
    # Without a territory, the régions and départements to choose from.
    chooser = client.get(SUBSCRIBE).content.decode()
    assert '<option value="region-84">' in chooser
    assert '<option value="departement-60">' in chooser


def test_a_subscription_sends_a_confirmation_and_echoes_no_address(client):
    response = subscribe(client, theme="culture")

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Vérifiez votre boîte" in page.content.decode()
    assert ADDRESS not in page.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.theme.slug == "culture"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ADDRESS]
    assert "/alertes/confirmer/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/alertes/")


def test_an_unconfirmed_subscription_gets_no_digest(client):
    subscribe(client)
    publish("Pôle de Cusset", timezone.now(), commune="03095")
    mail.outbox.clear()

    report = send(timezone.now() + timedelta(minutes=1))

    assert report.sent == 0 and mail.outbox == []


def test_the_confirmation_link_asks_for_a_click_then_confirms(client):
    subscribe(client)
    url = link_in(mail.outbox[0], "confirmer")

    page = client.get(url)
    assert "Je confirme mon abonnement" in page.content.decode()
    assert Subscription.objects.get().confirmed_at is None  # a mail scanner confirms nothing

    done = client.post(url)
    assert "Abonnement confirmé" in done.content.decode()
    assert ADDRESS not in done.content.decode()
    assert Subscription.objects.get().confirmed_at is not None


# Explicit ids: a signed token holds the time, and every pytest-xdist worker must collect the
# same test ids.
@pytest.mark.parametrize(
    "token",
    ["nimporte-quoi", "eyJ.abc:def", "x" * 300, signing.dumps("x", salt="autre")],
    ids=["words", "malformed", "too-long", "other-salt"],
)
def test_a_bad_confirmation_link_gets_a_clear_page(client, token):
    response = client.get(f"/alertes/confirmer/{token}/")

    assert response.status_code == 400
    assert "Ce lien n'est pas valide" in unescape(response.content.decode())


def test_an_expired_confirmation_link_gets_a_clear_page_and_the_request_is_purged(client, settings):
    subscribe(client)
    url = link_in(mail.outbox[0], "confirmer")
    settings.ALERTS_CONFIRM_DAYS = 0  # every link is already too old

    response = client.post(url)

    assert response.status_code == 410
    assert "Ce lien a expiré" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    Subscription.objects.update(created_at=timezone.now() - timedelta(days=1))
    assert send().purged == 1
    assert not Subscription.objects.exists()


def test_subscribing_again_reveals_nothing_and_changes_nothing_once_confirmed(client):
    first = confirmed(client)

    response = subscribe(client)

    assert response.status_code == 302
    assert mail.outbox == []  # already confirmed: no new e-mail
    assert list(Subscription.objects.all()) == [first]


def test_an_unknown_territory_is_refused_with_a_message(client):
    response = subscribe(client, territoire="departement-99")

    assert response.status_code == 200
    assert "Choisissez un territoire" in response.content.decode()
    assert not Subscription.objects.exists()


# --- digests --------------------------------------------------------------------------------
def test_a_digest_lists_only_the_ptces_published_since_the_last_one_in_the_territory(client):
    subscription = confirmed(client, territoire="departement-03")
    start = subscription.confirmed_at
    publish("Pôle d'avant l'abonnement", start - timedelta(days=1), commune="03095")
    publish("Pôle de Cusset", start + timedelta(hours=1), commune="03095")
    publish("Pôle de l'Oise", start + timedelta(hours=1), departement="60")
    publish("Pôle de Vichy", start + timedelta(hours=2), commune="03310")
    make_ptce("Pôle brouillon de Cusset", commune="03095", status=PtceStatus.DRAFT)
    make_ptce("Pôle en relecture de Vichy", commune="03310", status=PtceStatus.REVIEW)

    first = send(start + timedelta(days=1))

    assert first.sent == 1
    body = mail.outbox[0].body
    assert "Pôle de Cusset" in body and "Pôle de Vichy" in body
    assert "Oise" not in body and "avant" not in body
    assert "brouillon" not in body and "relecture" not in body
    assert "http://127.0.0.1:8000/ptce/pole-de-cusset/" in body
    assert "2 nouveaux PTCE dans l'Allier" in mail.outbox[0].subject

    mail.outbox.clear()
    publish("Pôle de Moulins", start + timedelta(days=2), commune="03190")
    second = send(start + timedelta(days=8))

    assert second.sent == 1
    assert "Pôle de Moulins" in mail.outbox[0].body
    assert "Pôle de Cusset" not in mail.outbox[0].body
    subscription.refresh_from_db()
    assert subscription.digests_sent == 2
    assert subscription.last_sent_at == start + timedelta(days=8)


def test_nothing_is_sent_when_there_is_nothing_new(client):
    subscription = confirmed(client)
    publish("Pôle de l'Oise", subscription.confirmed_at + timedelta(hours=1), departement="60")

    report = send(subscription.confirmed_at + timedelta(days=7))

    assert report.sent == 0 and report.skipped == 1
    assert mail.outbox == []
    subscription.refresh_from_db()
    assert subscription.last_sent_at is None and subscription.digests_sent == 0


def test_a_digest_of_a_theme_lists_only_that_theme(client):
    subscription = confirmed(client, territoire="region-84", theme="habitat")
    later = subscription.confirmed_at + timedelta(hours=1)
    publish("Pôle culturel", later, commune="03095", themes=["culture"])
    publish("Pôle habitat", later, commune="03310", themes=["habitat", "culture"])

    send(subscription.confirmed_at + timedelta(days=1))

    assert "Pôle habitat" in mail.outbox[0].body
    assert "Pôle culturel" not in mail.outbox[0].body


def test_a_commune_subscription_hears_of_a_ptce_acting_on_its_departement(client, allier):
    subscription = confirmed(client, territoire="commune-03095")
    acting = publish(
        "Pôle de tout l'Allier", subscription.confirmed_at + timedelta(hours=1), departement="60"
    )
    acting.action_territories.add(allier)

    send(subscription.confirmed_at + timedelta(days=1))

    assert "Pôle de tout l'Allier" in mail.outbox[0].body


def test_the_command_sends_the_digests(client):
    subscription = confirmed(client)
    Subscription.objects.update(confirmed_at=timezone.now() - timedelta(days=7))
    make_ptce("Pôle tout neuf", commune="03095")
    output = StringIO()

    call_command("send_alerts", stdout=output)

    assert "1 courriel(s) envoyé(s)" in output.getvalue()
    assert "Pôle tout neuf" in mail.outbox[0].body
    subscription.refresh_from_db()
    assert subscription.digests_sent == 1


# --- unsubscription ---------------------------------------------------------------------------
def digest_for(client):
    subscription = confirmed(client)
    publish("Pôle de Cusset", subscription.confirmed_at + timedelta(hours=1), commune="03095")
    send(subscription.confirmed_at + timedelta(days=1))
    return mail.outbox[0]


def test_every_digest_has_a_one_click_unsubscribe_link_and_headers(client):
    message = digest_for(client)
    url = link_in(message, "desabonner")

    assert message.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    response = client.get(url)
    assert response.status_code == 200
    assert "Vous êtes désabonné" in response.content.decode()
    assert not Subscription.objects.exists()  # the address is gone with it
    assert client.get(url).status_code == 200  # a second click says the same


def test_a_mail_client_unsubscribes_with_a_post_and_no_csrf_token(client):
    url = link_in(digest_for(client), "desabonner")

    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_a_forged_unsubscribe_link_deletes_nothing(client):
    digest_for(client)
    forged = signing.dumps(Subscription.objects.get().key, salt=CONFIRM_SALT)

    assert client.get(f"/alertes/desabonner/{forged}/").status_code == 400
    assert client.get("/alertes/desabonner/abc/").status_code == 400
    assert Subscription.objects.exists()


# --- no address leaks -----------------------------------------------------------------------
def test_the_back_office_shows_masked_addresses_only(admin_client, client):
    confirmed(client)

    listing = admin_client.get("/admin/alerts/subscription/").content.decode()
    detail = admin_client.get(
        f"/admin/alerts/subscription/{Subscription.objects.get().pk}/change/"
    ).content.decode()
    searched = admin_client.get("/admin/alerts/subscription/", {"q": ADDRESS}).content.decode()

    assert "c…@e…" in listing
    for body in (listing, detail):
        assert ADDRESS not in body and "camille" not in body
    # The admin repeats what the curator typed (search box, links); the rows never show it.
    rows = searched.split('id="result_list"', 1)[1].split("<tbody>", 1)[1].split("</tbody>")[0]
    shown = re.sub(r"<[^>]+>", " ", rows)  # the links keep the typed query, not the text
    assert "c…@e…" in shown and "camille" not in shown
    assert "1 abonnement" in searched  # an erasure request finds the row without showing it
    assert admin_client.get("/admin/alerts/subscription/add/").status_code == 403


def test_no_public_page_shows_an_address(client):
    confirmed(client)
    for url in ("/", "/ptce/", "/territoires/departement/03/", "/ptce/flux/", "/sitemap.xml"):
        assert ADDRESS not in client.get(url).content.decode()


# --- spam protections -----------------------------------------------------------------------
def test_the_honeypot_refuses_without_storing_or_mailing(client):
    response = subscribe(client, url="http://spam.example")

    assert response.status_code == 400
    assert "un champ qui doit rester vide a été rempli" in response.content.decode()
    assert not Subscription.objects.exists() and mail.outbox == []


def test_one_client_may_ask_five_times_an_hour(client, settings):
    settings.ALERTS_MAILS_PER_ADDRESS = 100
    for n in range(5):
        assert subscribe(client, email=f"personne{n}@example.org").status_code == 302

    response = subscribe(client, email="encore@example.org")

    assert response.status_code == 429
    assert "c&#x27;est le maximum" in response.content.decode()
    assert Subscription.objects.count() == 5


def test_one_address_gets_at_most_three_confirmation_e_mails_a_day(client):
    for n in range(6):
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(
            SUBSCRIBE,
            {"email": ADDRESS, "territoire": f"departement-0{n + 1}", "theme": "", "url": ""},
        )

    assert len(mail.outbox) == 3


def test_the_subscription_form_needs_its_csrf_token():
    response = Client(enforce_csrf_checks=True).post(
        SUBSCRIBE, {"email": ADDRESS, "territoire": "departement-03", "url": ""}
    )

    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_the_subscription_pages_are_never_stored_by_the_page_cache(client):
    response = client.get(SUBSCRIBE, {"territoire": "departement-03"})

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
