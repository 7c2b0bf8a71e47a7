"""Public exports of the directory: ``/ptce/export.csv`` and ``/ptce/export.xlsx`` in the
import format (columns and their order, BOM and ``;``), the list's filters, published PTCEs
only, formula cells made inert, the Table Schema they validate against, 304s and query
counts flat with the number of PTCEs."""

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from frictionless import Resource, Schema, formats

from directory.models import Ptce
from directory.services import ptce_export
from directory.services.ptce_csv import COLUMNS, OPTIONAL_EXTRA_COLUMNS
from directory.services.ptce_export import xlsx_text
from directory.services.spreadsheet_cells import neutralise, restore

from .export_helpers import (
    FORMULA_NAME,
    as_dicts,
    csv_rows,
    streamed,
    tricky_ptces,
    xlsx_rows,
    xlsx_sheet,
)
from .factories import PtceFactory, epci, territory

pytestmark = pytest.mark.django_db

HEADER = [
    "nom",
    "commune_insee",
    "departement",
    "thematiques",
    "forme_juridique",
    "stade",
    "structure_porteuse",
    "annee_creation",
    "site_web",
    "description",
    "statut",
    "source",
    "resume",
    "courriel",
    "telephone",
    "territoires_action",
    "latitude",
    "longitude",
    "verifiee_le",
]


def test_the_header_is_the_import_format_then_the_four_new_columns(client):
    tricky_ptces()
    rows = csv_rows(streamed(client.get("/ptce/export.csv")))
    assert rows[0] == HEADER
    assert HEADER[: len(COLUMNS) + len(OPTIONAL_EXTRA_COLUMNS)] == COLUMNS + OPTIONAL_EXTRA_COLUMNS


def test_csv_is_utf8_with_bom_semicolons_and_crlf_with_a_dated_file_name(client):
    tricky_ptces()
    response = client.get("/ptce/export.csv")
    body = streamed(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="ptce-{today}.csv"'
    assert body.startswith(b"\xef\xbb\xbfnom;commune_insee;departement;")
    assert body.split(b"\r\n")[0].count(b";") == len(HEADER) - 1
    assert "Pôle « Éco-Alpes » ; coopérer".encode() in body  # UTF-8, not escaped


def test_every_value_is_written_as_the_importer_reads_it(client):
    tricky_ptces()
    rows = {row["nom"]: row for row in as_dicts(csv_rows(streamed(client.get("/ptce/export.csv"))))}
    grenoble = rows["Pôle « Éco-Alpes » ; coopérer"]
    assert grenoble == {
        "nom": "Pôle « Éco-Alpes » ; coopérer",
        "commune_insee": "38185",
        "departement": "38",
        "thematiques": "culture|habitat",
        "forme_juridique": "scic",
        "stade": "consolidation",
        "structure_porteuse": "'@Structure porteuse",
        "annee_creation": "2014",
        "site_web": "https://example.org/a;b?c=1",
        "description": 'Ligne 1 ; "citée"\r\nLigne 2\navec é, à, ç',
        "statut": "publie",
        "source": "'-moins",
        "resume": "'+33 4 76 00 00 00 : appelez-nous",
        "courriel": "contact@eco-alpes.example",
        "telephone": "04 76 00 00 00",
        "territoires_action": "region:84|departement:38|epci:200040715|commune:38185",
        "latitude": "45.18756",
        "longitude": "5.735782",
        "verifiee_le": "2026-03-14",
    }
    reunion = rows["'" + FORMULA_NAME]
    assert (reunion["commune_insee"], reunion["departement"]) == ("97411", "974")
    assert (reunion["latitude"], reunion["longitude"]) == ("-20.88", "55.45")
    assert reunion["territoires_action"] == reunion["verifiee_le"] == reunion["stade"] == ""
    corse = rows["Pôle d'Ajaccio"]
    assert (corse["commune_insee"], corse["departement"]) == ("2A004", "2A")
    assert corse["description"] == "''=déjà une apostrophe"


def test_public_exports_hold_published_ptces_only_whatever_the_parameters(client):
    tricky_ptces()
    for url in (
        "/ptce/export.csv",
        "/ptce/export.csv?statut=brouillon&status=draft",
        "/ptce/export.csv?q=secret",
    ):
        body = streamed(client.get(url))
        assert b"Brouillon secret" not in body and b"En relecture" not in body
        assert {row["statut"] for row in as_dicts(csv_rows(body))} <= {"publie"}
    xlsx = streamed(client.get("/ptce/export.xlsx"))
    names = [row[0] for row in xlsx_rows(xlsx)]
    assert "Brouillon secret" not in names and "En relecture" not in names
    assert len(names) == 4  # the header and the three published PTCEs


def test_exports_follow_the_directory_filters_and_ignore_bad_values(client):
    tricky_ptces()
    PtceFactory(name="Pôle de Cusset", commune_code="03095", themes=["culture"])

    def names(query):
        response = client.get("/ptce/export.csv" + query)
        assert response.status_code == 200
        return sorted(row["nom"] for row in as_dicts(csv_rows(streamed(response))))

    assert names("?region=84") == ["Pôle de Cusset", "Pôle « Éco-Alpes » ; coopérer"]
    assert names("?departement=2A") == ["Pôle d'Ajaccio"]
    assert names("?theme=culture") == ["Pôle de Cusset", "Pôle « Éco-Alpes » ; coopérer"]
    assert names("?theme=culture&departement=38") == ["Pôle « Éco-Alpes » ; coopérer"]
    # Unknown values are left out, as on /ptce/: the other filters still apply.
    assert names("?theme=inconnue&departement=2A&region=zz") == ["Pôle d'Ajaccio"]
    assert len(names("?page=abc&sort=nope")) == 4
    xlsx = xlsx_rows(streamed(client.get("/ptce/export.xlsx?departement=974")))
    assert [row[0] for row in xlsx[1:]] == ["'" + FORMULA_NAME]


def test_the_directory_links_to_the_exports_of_its_current_filters(client):
    PtceFactory(commune_code="03095", themes=["culture"])
    page = client.get("/ptce/?theme=culture&departement=03&page=1").content.decode()
    links = re.findall(r'href="(/ptce/export\.(?:csv|xlsx)[^"]*)"', page)
    assert [urlsplit(html.unescape(link)).path for link in links] == [
        "/ptce/export.csv",
        "/ptce/export.xlsx",
    ]
    for link in links:
        assert parse_qs(urlsplit(html.unescape(link)).query) == {
            "theme": ["culture"],
            "departement": ["03"],
        }
    plain = client.get("/ptce/").content.decode()
    assert 'href="/ptce/export.csv"' in plain and 'href="/ptce/export.xlsx"' in plain


def test_formula_cells_are_inert_in_csv_and_xlsx(client):
    tricky_ptces()
    csv_names = [row[0] for row in csv_rows(streamed(client.get("/ptce/export.csv")))]
    assert "'" + FORMULA_NAME in csv_names and FORMULA_NAME not in csv_names
    response = client.get("/ptce/export.xlsx")
    assert response["Content-Type"] == ptce_export.CONTENT_TYPES["xlsx"]
    assert response["Content-Disposition"].startswith('attachment; filename="ptce-')
    sheet = xlsx_sheet(streamed(response))
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    assert cells and all(cell.data_type == "s" for cell in cells)  # never "f" (formula)
    values = {cell.value for cell in cells}
    assert "'" + FORMULA_NAME in values
    assert not any(str(value).startswith(("=", "+", "@", "\t")) for value in values)
    # Codes keep their leading zeros and letters; coordinates are the CSV's text.
    assert {"2A004", "2A", "97411", "-20.88", "2014"} <= values


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+33 1", "'+33 1"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("'plain", "'plain"),
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralised_cells_come_back_as_they_were(value, written):
    assert neutralise(value) == written
    assert restore(written) == value


def test_the_xlsx_holds_the_same_cells_as_the_csv(client):
    tricky_ptces()
    from_csv = csv_rows(streamed(client.get("/ptce/export.csv")))
    from_xlsx = xlsx_rows(streamed(client.get("/ptce/export.xlsx")))
    # XML readers turn a carriage return into a line feed (see ptce_export.xlsx_text).
    assert from_xlsx == [[xlsx_text(cell) for cell in row] for row in from_csv]
    assert from_xlsx != from_csv  # the description written with \r\n


def test_the_export_validates_against_the_served_table_schema(client, tmp_path):
    tricky_ptces()
    descriptor = json.loads(client.get("/donnees/schema-ptce.json").content)
    assert [field["name"] for field in descriptor["fields"]] == HEADER
    assert all(field["description"] and field["title"] for field in descriptor["fields"])
    statut = next(field for field in descriptor["fields"] if field["name"] == "statut")
    assert statut["constraints"]["enum"] == ["publie", "brouillon", "relecture", "archive"]
    (tmp_path / "ptce.csv").write_bytes(streamed(client.get("/ptce/export.csv")))
    resource = Resource(
        path="ptce.csv",
        basepath=str(tmp_path),
        schema=Schema.from_descriptor(descriptor),
        control=formats.CsvControl(delimiter=";"),
        encoding="utf-8-sig",
    )
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 3


def test_the_table_schema_refuses_what_the_importer_would_refuse(client, tmp_path):
    """The validation above could not pass vacuously: a bad code, status or date fails."""
    tricky_ptces()
    descriptor = json.loads(client.get("/donnees/schema-ptce.json").content)
    body = streamed(client.get("/ptce/export.csv")).decode("utf-8-sig")
    broken = body.replace(";2A004;2A;", ";2A04;2A;").replace("2026-03-14", "14/03/2026")
    broken = broken.replace(";publie;", ";en ligne;", 1)
    (tmp_path / "broken.csv").write_text(broken, encoding="utf-8-sig")
    report = Resource(
        path="broken.csv",
        basepath=str(tmp_path),
        schema=Schema.from_descriptor(descriptor),
        control=formats.CsvControl(delimiter=";"),
    ).validate()
    problems = {tuple(error) for error in report.flatten(["fieldName", "type"])}
    assert ("commune_insee", "constraint-error") in problems
    assert ("verifiee_le", "type-error") in problems
    assert ("statut", "constraint-error") in problems


def test_a_client_with_the_current_file_gets_a_304_until_public_data_change(client):
    ptce = PtceFactory(commune_code="03095")
    first = client.get("/ptce/export.csv?departement=03")
    streamed(first)
    again = client.get("/ptce/export.csv?departement=03", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    other = client.get("/ptce/export.xlsx?departement=03", HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200 and streamed(other)
    ptce.name = "Nouveau nom"
    ptce.save()
    changed = client.get("/ptce/export.csv?departement=03", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert b"Nouveau nom" in streamed(changed)


def _export_queries(count, client):
    """Adds ``count`` PTCEs; the queries of the service, the CSV view and the XLSX view."""
    start = Ptce.objects.count()
    for n in range(start, start + count):
        PtceFactory(
            commune_code="38185",
            themes=["culture", "habitat"],
            action_territories=[epci("200040715"), territory("commune", "38185")],
            name=f"Pôle {n:03d}",
        )
    total = Ptce.objects.published().count()
    with CaptureQueriesContext(connection) as service:
        body = ptce_export.csv_bytes(Ptce.objects.published())
    assert body.count(b"\r\n") == total + 1
    with CaptureQueriesContext(connection) as view:
        assert len(csv_rows(streamed(client.get("/ptce/export.csv?region=84")))) == total + 1
    with CaptureQueriesContext(connection) as xlsx:
        assert len(xlsx_rows(streamed(client.get("/ptce/export.xlsx")))) == total + 1
    return len(service), len(view), len(xlsx)


def test_an_export_takes_one_query_per_relation_whatever_the_number_of_ptces(client):
    few = _export_queries(3, client)
    many = _export_queries(40, client)
    # The rows, their themes, their territories of action (per chunk of 500 PTCEs).
    assert few[0] == many[0] == 3
    assert few == many
    assert max(few) <= 8


def test_exports_are_rate_limited_per_client(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "/ptce/export.": (2, 60)}
    PtceFactory(commune_code="03095")
    for _ in range(2):
        assert streamed(client.get("/ptce/export.csv?departement=03"))
    refused = client.get("/ptce/export.xlsx")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
