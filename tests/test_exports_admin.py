"""Exports of the back-office, in the import format: « Exporter la sélection (CSV) » and
« (Excel) », and the export of the current filter (every page of the filtered list). A
curator exports what it may curate: published PTCEs, and drafts only of its scope; an export
holding a draft of another région is refused as a whole (nothing sent)."""

import html
import re

import pytest
from django.urls import reverse

from backoffice.admin.ptce import PtceAdmin
from backoffice.models import Role
from directory.models import PtceStatus

from .backoffice_helpers import make_curator, regional
from .export_helpers import as_dicts, csv_rows, streamed, xlsx_rows, xlsx_sheet
from .factories import PtceFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:directory_ptce_changelist")


def export_url(extension, query=""):
    return reverse("admin:directory_ptce_export", args=[extension]) + query


@pytest.fixture
def ptces():
    return {
        "isere_draft": PtceFactory(
            name="Brouillon de Grenoble", commune_code="38185", status=PtceStatus.DRAFT
        ),
        "isere_published": PtceFactory(name="Pôle de Grenoble", commune_code="38185"),
        "oise_draft": PtceFactory(
            name="Brouillon de l'Oise", departement_code="60", status=PtceStatus.REVIEW
        ),
        "oise_published": PtceFactory(name="Pôle de l'Oise", departement_code="60"),
    }


def select(client, action, *ptces):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [p.pk for p in ptces], "index": 0},
    )


def names_of_csv(response):
    assert response.status_code == 200, response
    assert response["Content-Disposition"].startswith('attachment; filename="ptce-admin-')
    return sorted(row["nom"] for row in as_dicts(csv_rows(streamed(response))))


def test_a_national_curator_exports_a_selection_with_its_drafts(client, ptces):
    client.force_login(make_curator("rtes", Role.NATIONAL))
    response = select(client, "export_selection_csv", ptces["oise_draft"], ptces["isere_published"])
    rows = as_dicts(csv_rows(streamed(response)))
    assert {(row["nom"], row["statut"]) for row in rows} == {
        ("Brouillon de l'Oise", "relecture"),
        ("Pôle de Grenoble", "publie"),
    }
    xlsx = select(client, "export_selection_xlsx", ptces["isere_draft"])
    assert xlsx["Content-Disposition"].startswith('attachment; filename="ptce-admin-')
    body = streamed(xlsx)
    assert [row[0] for row in xlsx_rows(body)] == ["nom", "Brouillon de Grenoble"]
    cells = [c for row in xlsx_sheet(body).iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_regional_curator_exports_its_drafts_and_any_published_ptce(client, ptces):
    client.force_login(regional("84"))
    response = select(
        client,
        "export_selection_csv",
        ptces["isere_draft"],
        ptces["isere_published"],
        ptces["oise_published"],
    )
    assert names_of_csv(response) == ["Brouillon de Grenoble", "Pôle de Grenoble", "Pôle de l'Oise"]


@pytest.mark.parametrize("action", ["export_selection_csv", "export_selection_xlsx"])
def test_a_regional_curator_is_refused_a_selection_holding_another_regions_draft(
    client, ptces, action
):
    client.force_login(regional("84"))
    response = select(client, action, ptces["isere_draft"], ptces["oise_draft"])
    assert response.status_code == 403 and "Content-Disposition" not in response
    message = refusal_text(response)
    assert "Rien n'a été exporté" in message and "Brouillon de l'Oise" in message
    assert "Brouillon de Grenoble" not in message


def refusal_text(response):
    """The message of the refusal page (its error note)."""
    [note] = re.findall(r'<p class="errornote">(.*?)</p>', response.content.decode(), re.S)
    return html.unescape(note)


def test_a_reader_exports_published_ptces_only(client, ptces):
    client.force_login(make_curator("lecteur", Role.READER))
    allowed = select(client, "export_selection_csv", ptces["oise_published"])
    assert names_of_csv(allowed) == ["Pôle de l'Oise"]
    refused = select(client, "export_selection_csv", ptces["isere_draft"])
    assert refused.status_code == 403 and "Content-Disposition" not in refused
    assert "Brouillon de Grenoble" in refusal_text(refused)


def test_the_filter_export_holds_every_page_of_the_filtered_list(client, ptces, monkeypatch):
    monkeypatch.setattr(PtceAdmin, "list_per_page", 2)
    for n in range(4):
        PtceFactory(name=f"Pôle isérois {n}", commune_code="38185", status=PtceStatus.DRAFT)
    client.force_login(regional("84"))
    response = client.get(export_url("csv", "?departement=38&status__exact=draft"))
    assert names_of_csv(response) == [
        "Brouillon de Grenoble",
        *(f"Pôle isérois {n}" for n in range(4)),
    ]
    searched = client.get(export_url("xlsx", "?q=isérois"))
    assert [row[0] for row in xlsx_rows(streamed(searched))[1:]] == [
        f"Pôle isérois {n}" for n in range(4)
    ]
    mine = client.get(export_url("csv", "?ressort=mine&status__exact=draft"))
    assert len(names_of_csv(mine)) == 5


def test_the_filter_export_is_refused_when_it_holds_another_regions_draft(client, ptces):
    client.force_login(regional("84"))
    response = client.get(export_url("csv", "?status__exact=review"))
    assert response.status_code == 403 and "Content-Disposition" not in response
    assert "Brouillon de l'Oise" in refusal_text(response)
    assert f'href="{CHANGELIST}?status__exact=review"' in response.content.decode()
    national = make_curator("rtes", Role.NATIONAL)
    client.force_login(national)
    assert names_of_csv(client.get(export_url("csv", "?status__exact=review"))) == [
        "Brouillon de l'Oise"
    ]


def test_the_changelist_links_to_the_export_of_its_filter(client, ptces):
    client.force_login(regional("84"))
    page = client.get(CHANGELIST + "?departement=38&status__exact=draft").content.decode()
    links = [html.unescape(link) for link in re.findall(r'href="([^"]*/export\.[^"]*)"', page)]
    assert {link.split("?")[0] for link in links} == {export_url("csv"), export_url("xlsx")}
    assert all("departement=38" in link and "status__exact=draft" in link for link in links)
    assert "Exporter la sélection (CSV)" in page and "Exporter la sélection (Excel)" in page


def test_bad_requests_to_the_filter_export_get_no_file_and_no_error(client, ptces):
    assert client.get(export_url("csv")).status_code == 302  # to the login page
    assert "login" in client.get(export_url("csv"))["Location"]
    client.force_login(make_curator("rtes", Role.NATIONAL))
    assert client.get(export_url("pdf")).status_code == 404
    wrong = client.get(export_url("csv", "?champ_inconnu=1"))
    assert wrong.status_code == 302 and wrong["Location"] == CHANGELIST + "?e=1"
