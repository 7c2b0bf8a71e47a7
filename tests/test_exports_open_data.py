"""``/donnees/`` (every download with its licence, update date, format and schema, linked
from every footer) and ``manage.py export_open_data DIR`` (the published PTCEs as CSV, XLSX,
GeoJSON and JSON with the Table Schema, written atomically)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import formats
from frictionless import Resource, Schema
from frictionless import formats as frictionless_formats

from core.cache import current_version
from directory.services import open_data
from directory.services.ptce_columns import COLUMN_NAMES

from .export_helpers import FORMULA_NAME, as_dicts, csv_rows, streamed, tricky_ptces, xlsx_rows
from .factories import PtceFactory

pytestmark = pytest.mark.django_db

FILES = ["ptce.csv", "ptce.geojson", "ptce.json", "ptce.xlsx", "schema-ptce.json"]


def test_the_open_data_page_lists_every_download_with_licence_date_and_schema(client):
    PtceFactory(commune_code="03095")
    PtceFactory(commune_code="03095", status="draft")
    response = client.get("/donnees/")
    assert response.status_code == 200
    page = response.content.decode()
    for url in (
        "/ptce/export.csv",
        "/ptce/export.xlsx",
        "/api/v1/ptce.geojson",
        "/donnees/schema-ptce.json",
        "/api/v1/outlines/departements.geojson",
    ):
        assert f'href="{url}"' in page
    assert "Licence Ouverte / Open Licence 2.0" in page
    assert 'href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/"' in page
    assert "1 PTCE publié." in page  # the draft is not counted
    changed = formats.date_format(current_version().changed_at, "j F Y")
    assert changed in page
    assert page.count('href="/donnees/schema-ptce.json"') >= 3  # CSV, XLSX and its own row
    # Every link on the page answers.
    for url in ("/ptce/export.csv", "/ptce/export.xlsx", "/donnees/schema-ptce.json"):
        linked = client.get(url)
        assert linked.status_code == 200 and streamed(linked)


def test_the_footer_of_every_page_links_to_the_open_data(client):
    for url in ("/", "/ptce/", "/donnees/"):
        assert f'href="{reverse("pages:open-data")}"' in client.get(url).content.decode()


def test_export_open_data_writes_the_five_files_of_the_published_ptces(tmp_path):
    tricky_ptces()
    target = tmp_path / "publication"
    out = io.StringIO()
    call_command("export_open_data", str(target), stdout=out)
    assert "ptce.csv" in out.getvalue()
    assert sorted(path.name for path in target.iterdir()) == FILES  # no temporary file left
    rows = as_dicts(csv_rows((target / "ptce.csv").read_bytes()))
    names = sorted(row["nom"] for row in rows)
    assert names == sorted(["'" + FORMULA_NAME, "Pôle d'Ajaccio", "Pôle « Éco-Alpes » ; coopérer"])
    assert xlsx_rows((target / "ptce.xlsx").read_bytes())[0] == COLUMN_NAMES
    assert len(xlsx_rows((target / "ptce.xlsx").read_bytes())) == 4

    document = json.loads((target / "ptce.json").read_text(encoding="utf-8"))
    assert document["licence"].startswith("Licence Ouverte")
    by_name = {item["nom"]: item for item in document["ptce"]}
    assert sorted(by_name) == sorted(
        [FORMULA_NAME, "Pôle d'Ajaccio", "Pôle « Éco-Alpes » ; coopérer"]
    )
    grenoble = by_name["Pôle « Éco-Alpes » ; coopérer"]
    assert grenoble["thematiques"] == ["culture", "habitat"]
    assert grenoble["territoires_action"][0] == "region:84"
    assert (grenoble["annee_creation"], grenoble["latitude"]) == (2014, 45.18756)
    assert grenoble["url"].endswith(f"/ptce/{grenoble['url'].rsplit('/', 2)[-2]}/")
    assert by_name["Pôle d'Ajaccio"]["stade"] is None

    geojson = json.loads((target / "ptce.geojson").read_text(encoding="utf-8"))
    assert geojson["type"] == "FeatureCollection"
    points = {f["properties"]["nom"]: f["geometry"]["coordinates"] for f in geojson["features"]}
    assert points[FORMULA_NAME] == [55.45, -20.88]
    assert "Brouillon secret" not in points

    schema = json.loads((target / "schema-ptce.json").read_text(encoding="utf-8"))
    report = Resource(
        path="ptce.csv",
        basepath=str(target),
        schema=Schema.from_descriptor(schema),
        control=frictionless_formats.CsvControl(delimiter=";"),
    ).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_failed_export_leaves_the_previous_files_in_place(tmp_path, monkeypatch):
    PtceFactory(name="Avant", commune_code="03095")
    open_data.export_open_data(tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in FILES}
    PtceFactory(name="Après", commune_code="03095")

    def broken(queryset, handle):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(open_data.WRITERS, "ptce.json", broken)
    with pytest.raises(CommandError, match="No space left on device"):
        call_command("export_open_data", str(tmp_path))
    assert {name: (tmp_path / name).read_bytes() for name in FILES} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == FILES
    monkeypatch.undo()
    open_data.export_open_data(tmp_path)
    assert "Après" in (tmp_path / "ptce.csv").read_text(encoding="utf-8-sig")
