"""Unpublished PTCEs stay unpublished (docs/security.md, §5): a PTCE in draft, review or
archived state, with its members, supports, experience and territories, changes nothing on
any public page or endpoint (byte for byte, counts included); and once a published PTCE is
withdrawn, by any path a curator has, the whole-page cache (``core/response_cache.py``) and the
API's cached payloads serve exactly what a fresh rendering gives."""

from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.test import Client

from core.response_cache import local_copies
from directory.models import Experience, Ptce, PtceStatus
from directory.services.ptce_csv import COLUMNS
from directory.services.ptce_import import import_ptce_csv

from .directory_helpers import make_ptce
from .factories import ExperienceFactory, NationalCallAwardFactory, departement, epci

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

HIDDEN_NAME = "Pôle caché de Cusset"
HIDDEN_SLUG = "pole-cache-de-cusset"
HIDDEN_STATUSES = [PtceStatus.DRAFT, PtceStatus.REVIEW, PtceStatus.ARCHIVED]
FILTERS = [
    "q=caché",
    "q=Pole cachee de Cusset",  # a typo: the approximate search
    "q=secret",
    "region=84",
    "departement=03",
    "epci=200071363",
    "commune=03095",
    "theme=habitat",
    "theme=culture",
    "support=investissement",
    "stage=gestation",
    "legal_form=scop",
    "charter=oui",
    "bbox=3,46,4,47",
    "sort=recent",
    "sort=nom",
]
# The API reads the same FilterSet: a sample of the filters is enough there.
API_FILTERS = [
    "q=caché",
    "q=Pole cachee de Cusset",
    "commune=03095",
    "theme=habitat",
    "charter=oui",
]
PUBLIC_PAGES = [
    "/",
    "/ptce/",
    *(f"/ptce/?{query}" for query in FILTERS),
    "/carte/",
    "/carte/?theme=habitat",
    "/carte/?bbox=3,46,4,47",
    "/territoires/",
    "/territoires/commune/03095/",
    "/territoires/epci/200071363/",
    "/territoires/departement/03/",
    "/territoires/region/84/",
    "/territoires/departement/03/?theme=habitat",
    "/territoires/commune/03095/?q=caché",
    "/soutenir/",
    "/soutenir/investissement/",
    "/soutenir/capital-scic/",
    "/experiences/",
    "/experiences/retour-sur-le-pole/",
    "/dispositifs/",
    "/api/v1/ptce.geojson",
    *(f"/api/v1/ptce.geojson?{query}" for query in API_FILTERS),
    "/api/v1/coverage.json",
    "/api/v1/coverage.json?level=region",
    "/api/v1/coverage.json?theme=habitat",
    "/embed/carte/",
    *(f"/embed/carte/?{query}" for query in API_FILTERS),
    "/ptce/flux/",
    "/ptce/flux/atom/",
    "/territoires/commune/03095/flux/",
    "/territoires/departement/03/flux/atom/",
    "/territoires/region/84/flux/",
    "/sitemap.xml",
]
FRAGMENT_PAGES = ["/ptce/", "/ptce/?theme=habitat", "/territoires/departement/03/"]


def visible_ptce():
    """A published PTCE of Vichy, and an experience not naming any PTCE yet."""
    make_ptce("Pôle visible de Vichy", commune="03310", themes=["culture"])
    ExperienceFactory(
        slug="retour-sur-le-pole",
        title="Retour sur le pôle",
        support_types=["capital-scic"],
    )


def hidden_ptce(status):
    """The PTCE every public page must ignore, with everything that points at it."""
    ptce = make_ptce(
        HIDDEN_NAME,
        commune="03095",
        themes=["habitat", "culture"],
        supports=["investissement", "capital-scic"],
        stage_slug="gestation",
        legal_form_slug="scop",
        members=["Emmaüs secret"],
        charter_signed="oui",
        status=status,
        action_territories=[departement("03"), epci("200071363")],
    )
    NationalCallAwardFactory(ptce=ptce)
    Experience.objects.filter(slug="retour-sur-le-pole").update(ptce=ptce)
    return ptce


def forget_cached_pages():
    cache.clear()
    local_copies.clear()


def render(client, urls=PUBLIC_PAGES):
    """``{url: (status, body)}``, and the results fragments."""
    pages = {url: client.get(url) for url in urls}
    for url in FRAGMENT_PAGES:
        pages[f"{url} (fragment)"] = client.get(url, headers={"X-Fragment": "results"})
    return {url: (response.status_code, response.content) for url, response in pages.items()}


def differences(before, after):
    return [url for url in before if before[url] != after[url]]


def mentions(pages, *words):
    found = []
    for url, (_status, body) in pages.items():
        text = body.decode()
        found += [(url, word) for word in words if word in text]
    return found


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
def test_an_unpublished_ptce_changes_nothing_on_any_public_page(client, status):
    visible_ptce()
    forget_cached_pages()
    before = render(client)
    hidden_ptce(status)
    forget_cached_pages()
    after = render(client)

    assert mentions(after, HIDDEN_NAME, HIDDEN_SLUG, "Emmaüs secret") == []
    assert differences(before, after) == []


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
def test_an_unpublished_ptce_has_no_page(client, status):
    hidden_ptce(status)
    response = client.get(f"/ptce/{HIDDEN_SLUG}/")

    assert response.status_code == 404
    assert HIDDEN_NAME not in response.content.decode()


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
def test_an_experience_never_names_its_unpublished_ptce(client, status):
    visible_ptce()
    hidden_ptce(status)
    for url in ["/experiences/retour-sur-le-pole/", "/experiences/", "/soutenir/capital-scic/"]:
        body = client.get(url).content.decode()
        assert HIDDEN_NAME not in body and HIDDEN_SLUG not in body, url


@pytest.mark.parametrize("path", ["/feed/", "/rss/", "/atom.xml", "/ptce/feed/"])
def test_there_is_no_other_feed_to_leak_from(client, path):
    """The feeds and the sitemap are in PUBLIC_PAGES above; a new one must join them."""
    assert client.get(path).status_code == 404


# --- the caches never serve a withdrawn PTCE --------------------------------------------------
class AdminForm(HTMLParser):
    """The fields of the back-office's change form as a browser would post them."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if tag == "option" and self._select and "selected" in attributes:
            self.data.append((self._select, attributes.get("value", "")))
        if not self.inside or not attributes.get("name"):
            return
        name = attributes["name"]
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.data.append(
                (name, attributes.get("value") or ("on" if kind == "checkbox" else ""))
            )
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            # A browser drops the newline that follows <textarea>.
            self.data.append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None


def admin_form_data(body, form_id):
    parser = AdminForm(form_id)
    parser.feed(body)
    data = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


def withdraw_with_the_admin_form(admin_client, ptce):
    url = f"/admin/directory/ptce/{ptce.pk}/change/"
    data = admin_form_data(admin_client.get(url).content.decode(), "ptce_form")
    data["status"] = [PtceStatus.REVIEW]  # published → review (backoffice/permissions.py)
    data["_save"] = ["Enregistrer"]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def delete_with_the_admin_action(admin_client, ptce):
    response = admin_client.post(
        "/admin/directory/ptce/",
        {"action": "delete_selected", "_selected_action": [ptce.pk], "post": "yes"},
    )
    assert response.status_code == 302


def withdraw_with_the_csv_import(admin_client, ptce):
    row = dict.fromkeys(COLUMNS, "") | {
        "nom": ptce.name,
        "departement": "03",
        "statut": "brouillon",
    }
    source = f"{','.join(COLUMNS)}\n{','.join(row[name] for name in COLUMNS)}\n".encode()
    result = import_ptce_csv(source)
    assert result.updated == [ptce.name], result.errors


def save_with_status(status):
    def withdraw(admin_client, ptce):
        ptce.status = status
        ptce.save()

    return withdraw


WITHDRAWALS = {
    "saved as draft": save_with_status(PtceStatus.DRAFT),
    "saved for review": save_with_status(PtceStatus.REVIEW),
    "archived": save_with_status(PtceStatus.ARCHIVED),
    "deleted": lambda admin_client, ptce: ptce.delete(),
    "back-office form": withdraw_with_the_admin_form,
    "back-office delete action": delete_with_the_admin_action,
    "CSV import": withdraw_with_the_csv_import,
}
CACHED_PAGES = [
    "/",
    "/ptce/",
    "/ptce/?theme=habitat",
    "/ptce/?commune=03095",
    f"/ptce/{HIDDEN_SLUG}/",
    "/carte/",
    "/territoires/",
    "/territoires/commune/03095/",
    "/territoires/departement/03/",
    "/territoires/region/84/",
    "/soutenir/",
    "/soutenir/investissement/",
    "/experiences/retour-sur-le-pole/",
    "/api/v1/ptce.geojson",
    "/api/v1/ptce.geojson?theme=habitat",
    "/api/v1/coverage.json",
]


@pytest.mark.parametrize("withdrawal", WITHDRAWALS.values(), ids=WITHDRAWALS.keys())
def test_the_caches_never_serve_a_withdrawn_ptce(admin_client, withdrawal):
    visitor = Client()
    visible_ptce()
    ptce = hidden_ptce(PtceStatus.PUBLISHED)
    render(visitor, CACHED_PAGES)
    warm = visitor.get("/ptce/")
    assert warm["X-Portal-Cache"] == "hit"
    assert HIDDEN_NAME in warm.content.decode()

    withdrawal(admin_client, ptce)
    served = render(visitor, CACHED_PAGES)
    forget_cached_pages()
    fresh = render(visitor, CACHED_PAGES)

    assert mentions(served, HIDDEN_NAME, HIDDEN_SLUG, "Emmaüs secret") == []
    assert differences(fresh, served) == []
    assert served[f"/ptce/{HIDDEN_SLUG}/"][0] == 404
    assert not Ptce.objects.filter(slug=HIDDEN_SLUG, status=PtceStatus.PUBLISHED).exists()
