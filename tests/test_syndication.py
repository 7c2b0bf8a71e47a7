"""Feeds of newly published PTCEs (issue 11, item 6): RSS and Atom of the directory and of a
territory (up and down the hierarchy, like its page), ordered by first publication; the
publication date itself; ``/sitemap.xml`` and ``/robots.txt``. Drafts appear nowhere; the
feeds and the sitemap are cached by the cache rule."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.models import Ptce, PtceStatus
from directory.services.ptce_import import import_ptce_csv

from .directory_helpers import make_ptce

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_titles(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def published(name, days_ago, **fields):
    ptce = make_ptce(name, **fields)
    Ptce.objects.filter(pk=ptce.pk).update(published_at=timezone.now() - timedelta(days=days_ago))
    return ptce


# --- the publication date -------------------------------------------------------------------
def test_a_ptce_gets_its_publication_date_when_first_published_and_keeps_it():
    ptce = make_ptce("Pôle en attente", commune="03095", status=PtceStatus.DRAFT)
    assert ptce.published_at is None

    ptce.status = PtceStatus.PUBLISHED
    ptce.save()
    first = Ptce.objects.get(pk=ptce.pk).published_at
    assert first is not None

    ptce.status = PtceStatus.REVIEW
    ptce.save()
    ptce.status = PtceStatus.PUBLISHED
    ptce.save(update_fields=["status"])
    assert Ptce.objects.get(pk=ptce.pk).published_at == first


def test_a_ptce_published_with_update_fields_still_gets_its_date():
    ptce = make_ptce("Pôle relu", commune="03095", status=PtceStatus.REVIEW)
    ptce.status = PtceStatus.PUBLISHED
    ptce.save(update_fields=["status"])

    assert Ptce.objects.get(pk=ptce.pk).published_at is not None


def test_the_csv_import_dates_the_ptces_it_publishes(tmp_path):
    path = tmp_path / "ptce.csv"
    path.write_text(
        "nom;commune_insee;statut\n"
        "Pôle importé publié;03095;publie\n"
        "Pôle importé brouillon;03310;\n",
        encoding="utf-8",
    )
    result = import_ptce_csv(path)
    assert not result.errors

    assert Ptce.objects.get(name="Pôle importé publié").published_at is not None
    assert Ptce.objects.get(name="Pôle importé brouillon").published_at is None

    path.write_text("nom;commune_insee;statut\nPôle importé brouillon;03310;publie\n")
    import_ptce_csv(path)
    assert Ptce.objects.get(name="Pôle importé brouillon").published_at is not None


# --- the directory's feeds ------------------------------------------------------------------
def test_the_feeds_list_published_ptces_newest_publication_first(client):
    published("Pôle ancien", 30, commune="03095")
    published("Pôle récent", 1, commune="03310")
    published("Pôle du milieu", 10, departement="60")
    make_ptce("Pôle brouillon", commune="03095", status=PtceStatus.DRAFT)
    make_ptce("Pôle archivé", commune="03095", status=PtceStatus.ARCHIVED)

    titles = rss_titles(client.get("/ptce/flux/"))
    atom = atom_titles(client.get("/ptce/flux/atom/"))

    assert [t.split(" — ")[0] for t in titles] == ["Pôle récent", "Pôle du milieu", "Pôle ancien"]
    assert atom == titles
    assert "brouillon" not in client.get("/ptce/flux/").content.decode()


def test_a_feed_item_links_to_the_ptce_page_with_its_date(client):
    ptce = published("Pôle daté", 2, commune="03095", themes=["culture"])

    root = ET.fromstring(client.get("/ptce/flux/").content)
    item = next(root.iter("item"))

    assert item.findtext("link") == f"http://testserver/ptce/{ptce.slug}/"
    assert item.findtext("pubDate")
    assert "Culture" in [c.text for c in item.iter("category")]


def test_the_feed_is_cached_until_public_data_change(client):
    published("Pôle premier", 2, commune="03095")
    client.get("/ptce/flux/")

    with CaptureQueriesContext(connection) as warm:
        again = client.get("/ptce/flux/")
    assert len(warm) == 1  # the public-data version
    assert "Pôle premier" in again.content.decode()

    make_ptce("Pôle second", commune="03310")
    assert "Pôle second" in client.get("/ptce/flux/").content.decode()


# --- a territory's feeds ----------------------------------------------------------------------
def test_a_territory_feed_goes_up_and_down_the_hierarchy_like_its_page(client):
    published("Pôle de Cusset", 3, commune="03095")
    published("Pôle de Vichy", 2, commune="03310")
    published("Pôle de l'Oise", 1, departement="60")
    acting = published("Pôle de tout l'Allier", 4, departement="60")
    acting.action_territories.add(
        acting.departement.__class__.objects.get(kind="departement", code="03")
    )

    commune = rss_titles(client.get("/territoires/commune/03095/flux/"))
    departement = atom_titles(client.get("/territoires/departement/03/flux/atom/"))
    region = rss_titles(client.get("/territoires/region/84/flux/"))

    assert [t.split(" — ")[0] for t in commune] == ["Pôle de Cusset", "Pôle de tout l'Allier"]
    assert [t.split(" — ")[0] for t in departement] == [
        "Pôle de Vichy",
        "Pôle de Cusset",
        "Pôle de tout l'Allier",
    ]
    assert "Pôle de l'Oise" not in " ".join(region)


def test_a_territory_feed_never_lists_a_draft(client):
    make_ptce("Pôle caché de Cusset", commune="03095", status=PtceStatus.REVIEW)

    assert rss_titles(client.get("/territoires/commune/03095/flux/")) == []


@pytest.mark.parametrize(
    "url",
    [
        "/territoires/canton/03/flux/",
        "/territoires/departement/99/flux/",
        "/territoires/departement/0%2F3/flux/",
        "/territoires/commune/" + "1" * 40 + "/flux/atom/",
    ],
)
def test_an_unknown_territory_has_no_feed(client, url):
    assert client.get(url).status_code == 404


def test_the_directory_and_territory_pages_name_their_feeds(client):
    directory = client.get("/ptce/").content.decode()
    territory = client.get("/territoires/departement/03/").content.decode()

    assert 'type="application/rss+xml" href="/ptce/flux/"' in directory
    assert 'type="application/atom+xml" href="/ptce/flux/atom/"' in directory
    assert 'href="/territoires/departement/03/flux/"' in territory
    assert 'href="/territoires/departement/03/flux/atom/"' in territory


# --- sitemap and robots -------------------------------------------------------------------
def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    return {url.findtext(f"{ns}loc"): url.findtext(f"{ns}lastmod") for url in root.iter(f"{ns}url")}


def test_the_sitemap_lists_published_ptces_territories_and_the_guide(client):
    visible = make_ptce("Pôle visible", commune="03095")
    hidden = make_ptce("Pôle invisible", commune="03310", status=PtceStatus.DRAFT)

    locations = sitemap_locations(client)

    assert (
        locations[f"http://testserver/ptce/{visible.slug}/"]
        == visible.updated_at.date().isoformat()
    )
    assert f"http://testserver/ptce/{hidden.slug}/" not in locations
    assert "http://testserver/territoires/commune/03095/" in locations
    assert "http://testserver/territoires/epci/200071363/" in locations
    assert "http://testserver/territoires/region/84/" in locations
    assert "http://testserver/territoires/departement/60/" in locations
    # A commune with only a draft is not worth a visit; nor one with nothing.
    assert "http://testserver/territoires/commune/03310/" not in locations
    assert "http://testserver/soutenir/" in locations
    assert "http://testserver/soutenir/investissement/" in locations
    assert "http://testserver/" in locations


def test_the_sitemap_is_cached_and_bad_pages_are_not_found(client):
    make_ptce("Pôle visible", commune="03095")
    client.get("/sitemap.xml")
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/sitemap.xml").status_code == 200
    assert len(warm) == 1

    assert client.get("/sitemap.xml?p=abc").status_code == 404
    assert client.get("/sitemap.xml?p=99").status_code == 404


def test_robots_txt_names_the_sitemap_and_keeps_robots_out_of_private_paths(client):
    response = client.get("/robots.txt")
    text = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for path in ("/admin/", "/compte/", "/embed/", "/alertes/", "/ptce/export"):
        assert f"Disallow: {path}\n" in text


def test_no_ptce_may_take_the_feeds_address(tmp_path):
    from django.core.exceptions import ValidationError

    ptce = make_ptce("Flux", commune="03095", slug="flux-03")
    ptce.slug = "flux"
    with pytest.raises(ValidationError):
        ptce.full_clean()

    path = tmp_path / "ptce.csv"
    path.write_text("nom;departement;statut\nFlux;60;publie\n", encoding="utf-8")
    import_ptce_csv(path)
    assert Ptce.objects.get(name="Flux", departement__code="60").slug != "flux"
