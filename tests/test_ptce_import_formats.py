"""The import reads Excel .xlsx as well as CSV, and its optional columns: territories of
action (official codes), coordinates and the last verification date. Old files keep
working; an empty cell changes nothing."""

import datetime
import io
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from directory.models import Ptce
from directory.services.ptce_import import CsvFormatError, import_ptce_csv
from directory.services.ptce_rows import MAX_CELL_CHARS

from .factories import PtceFactory, commune, departement, epci, region
from .import_helpers import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

GRENOBLE = {"nom": "Fabricanova", "commune_insee": "38185", "statut": "brouillon"}


def imported(rows, *, xlsx=False, **options):
    data = xlsx_bytes(rows) if xlsx else csv_bytes(rows)
    return import_ptce_csv(data, name="f.xlsx" if xlsx else "f.csv", **options)


def errors_of(result):
    return [(e.line, e.column, e.message) for e in result.errors]


# --- territories of action ---------------------------------------------------------------------
def test_territories_of_action_by_level_and_code():
    cell = "region:84|departement:38|epci:200040715|commune:38185"
    result = imported([{**GRENOBLE, "territoires_action": cell}])

    assert result.ok, errors_of(result)
    ptce = Ptce.objects.get(name="Fabricanova")
    assert set(ptce.action_territories.all()) == {
        region("84"),
        departement("38"),
        epci("200040715"),
        commune("38185"),
    }


def test_territory_levels_as_labels_and_codes_whose_zero_was_eaten():
    cell = " Région : 84 | DÉPARTEMENT:3 | Commune:3095 "
    result = imported([{**GRENOBLE, "territoires_action": cell}])

    assert result.ok, errors_of(result)
    ptce = Ptce.objects.get(name="Fabricanova")
    assert set(ptce.action_territories.all()) == {region("84"), departement("03"), commune("03095")}


@pytest.mark.parametrize(
    "cell", ["commune:99999", "pays:FR", "84", "epci:", "departement:38|region:99"]
)
def test_an_unknown_territory_is_a_row_error_and_nothing_is_written(cell):
    result = imported([GRENOBLE, {"nom": "Autre", "departement": "60", "territoires_action": cell}])

    assert not result.ok
    assert [(line, column) for line, column, _ in errors_of(result)] == [(3, "territoires_action")]
    assert not Ptce.objects.exists()


def test_empty_cells_of_the_new_columns_keep_what_is_there():
    ptce = PtceFactory(name="Fabricanova", commune_code="38185")
    ptce.action_territories.set([departement("38")])
    Ptce.objects.filter(pk=ptce.pk).update(
        latitude=45.2, longitude=5.7, last_verified=datetime.date(2025, 1, 2)
    )

    result = imported([{"nom": "Fabricanova", "commune_insee": "38185", "description": "Neuf"}])

    assert result.updated == ["Fabricanova"]
    ptce.refresh_from_db()
    assert list(ptce.action_territories.all()) == [departement("38")]
    assert (ptce.latitude, ptce.longitude) == (45.2, 5.7)
    assert ptce.last_verified == datetime.date(2025, 1, 2)
    assert ptce.description == "Neuf"


# --- coordinates ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("latitude", "longitude", "expected"),
    [("45.1885", "5.7245", (45.1885, 5.7245)), ("45,19", "5,72", (45.19, 5.72))],
)
def test_coordinates_replace_the_town_hall(latitude, longitude, expected):
    result = imported([{**GRENOBLE, "latitude": latitude, "longitude": longitude}])

    assert result.ok, errors_of(result)
    ptce = Ptce.objects.get(name="Fabricanova")
    assert (ptce.latitude, ptce.longitude) == expected


def test_coordinates_of_an_overseas_ptce():
    row = {"nom": "Pôle réunionnais", "departement": "974", "latitude": "-21.1151"}
    result = imported([{**row, "longitude": "55.5364"}])

    assert result.ok, errors_of(result)
    assert Ptce.objects.get().latitude == -21.1151


def test_new_coordinates_for_the_same_commune_are_applied():
    ptce = PtceFactory(name="Fabricanova", commune_code="38185")

    result = imported([{**GRENOBLE, "latitude": "45.2", "longitude": "5.71"}])

    assert result.updated == ["Fabricanova"]
    ptce.refresh_from_db()
    assert (ptce.latitude, ptce.longitude) == (45.2, 5.71)


@pytest.mark.parametrize(
    ("latitude", "longitude", "column", "message"),
    [
        ("45.2", "", "longitude", "les deux ou aucune"),
        ("", "5.7", "latitude", "les deux ou aucune"),
        ("nord", "5.7", "latitude", "nombre décimal"),
        ("45.2", "5°7'", "longitude", "nombre décimal"),
        ("40.7", "-74.0", "latitude", "hors de France"),
        ("5.72", "45.19", "latitude", "inversées"),
        ("95", "5", "latitude", "hors de France"),
    ],
)
def test_bad_coordinates_are_row_errors(latitude, longitude, column, message):
    result = imported([{**GRENOBLE, "latitude": latitude, "longitude": longitude}])

    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.line, error.column) == (2, column)
    assert message in error.message
    assert not Ptce.objects.exists()


# --- last verification date -------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["2025-11-30", "30/11/2025", "30/11/2025 "])
def test_the_verification_date_iso_or_french(cell):
    result = imported([{**GRENOBLE, "verifiee_le": cell}])

    assert result.ok, errors_of(result)
    assert Ptce.objects.get().last_verified == datetime.date(2025, 11, 30)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("demain", "date attendue"),
        ("31/02/2025", "date inexistante"),
        ("2025-13-01", "date inexistante"),
        ("1999-12-31", "antérieure"),
    ],
)
def test_a_bad_verification_date_is_a_row_error(cell, message):
    result = imported([{**GRENOBLE, "verifiee_le": cell}])

    assert [(e.column, message in e.message) for e in result.errors] == [("verifiee_le", True)]


def test_a_verification_date_in_the_future_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    result = imported([{**GRENOBLE, "verifiee_le": tomorrow.isoformat()}])

    assert [e.message for e in result.errors] == ["date dans le futur"]


def test_the_columns_go_together():
    header = ["nom", "departement", "latitude"]
    with pytest.raises(CsvFormatError, match="vont ensemble"):
        import_ptce_csv(csv_bytes([{"nom": "P", "departement": "60"}], header=header))


# --- Excel workbooks ------------------------------------------------------------------------------
def test_a_workbook_imports_like_the_csv_with_typed_cells():
    row = {
        "nom": "Atelier",
        "commune_insee": 3095,  # a number: the leading zero is gone
        "annee_creation": 2019,
        "statut": "brouillon",
        "thematiques": "culture",
        "latitude": 46.13,
        "longitude": 3.45,
        "verifiee_le": datetime.date(2025, 6, 1),  # a real date cell
        "territoires_action": "epci:200071363",
    }
    result = imported([row], xlsx=True)

    assert result.ok, errors_of(result)
    assert result.kind == "xlsx"
    ptce = Ptce.objects.get()
    assert ptce.seat_commune == commune("03095")
    assert (ptce.year_founded, ptce.latitude, ptce.longitude) == (2019, 46.13, 3.45)
    assert ptce.last_verified == datetime.date(2025, 6, 1)
    assert [t.code for t in ptce.action_territories.all()] == ["200071363"]


def test_a_workbook_with_one_bad_row_writes_nothing_and_names_its_excel_line():
    rows = [GRENOBLE, {"nom": "Sans lieu"}, {"nom": "Beauvais", "departement": 60}]
    result = imported(rows, xlsx=True)

    assert errors_of(result) == [
        (3, "departement", "le département est obligatoire quand la commune est vide")
    ]
    assert not Ptce.objects.exists()


def test_a_formula_cell_is_an_error_of_its_line_and_column():
    result = imported([GRENOBLE, {"nom": "Calculé", "departement": "=A2"}], xlsx=True)

    assert [(e.line, e.column) for e in result.errors] == [(3, "departement")]
    assert "formule" in result.errors[0].message
    assert not Ptce.objects.exists()


def test_an_oversized_cell_of_a_workbook_is_an_error():
    result = imported([{**GRENOBLE, "description": "x" * (MAX_CELL_CHARS + 1)}], xlsx=True)

    assert [(e.line, e.column) for e in result.errors] == [(2, "description")]


def zip_of(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00 not a workbook", "pas un classeur Excel"),
        (b"PK\x03\x04 truncated zip", "pas un classeur Excel"),
        (zip_of({"hello.txt": "hi"}), "pas un classeur Excel"),
        (zip_of({"xl/workbook.xml": "<not-xml"}), "pas un classeur Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "mot de passe"),
        (b"", "vide"),
    ],
)
def test_a_file_named_xlsx_that_is_no_workbook_is_a_clear_error(data, message):
    with pytest.raises(CsvFormatError, match=message):
        import_ptce_csv(data, name="tableur.xlsx")


def test_an_empty_workbook_is_a_clear_error():
    with pytest.raises(CsvFormatError, match="vide"):
        import_ptce_csv(xlsx_bytes([], header=[]), name="vide.xlsx")
    with pytest.raises(CsvFormatError, match="aucune ligne"):
        import_ptce_csv(xlsx_bytes([]), name="entete.xlsx")


def test_the_command_imports_a_workbook(tmp_path):
    path = tmp_path / "ptce.xlsx"
    path.write_bytes(xlsx_bytes([GRENOBLE]))
    out = StringIO()
    call_command("import_ptce", str(path), stdout=out)

    assert "1 PTCE ont été créés" in out.getvalue()
    assert Ptce.objects.get().name == "Fabricanova"


def test_an_old_file_without_the_new_columns_still_imports_and_flags_duplicates(tmp_path):
    PtceFactory(name="Fabricanova", commune_code="38185")
    path = tmp_path / "ancien.csv"
    path.write_bytes(
        "nom;commune_insee;departement;statut\r\nFabrica Nova;38185;38;brouillon\r\n".encode(
            "cp1252"
        )
    )
    out = StringIO()
    call_command("import_ptce", str(path), stdout=out)

    assert "Doublon possible, ligne 2 « Fabrica Nova » : Fabricanova" in out.getvalue()
    assert Ptce.objects.filter(name="Fabrica Nova").exists()  # a warning, not an error


def test_a_workbook_too_large_once_unzipped_is_refused_before_it_is_opened(monkeypatch):
    from directory.services import ptce_xlsx

    data = xlsx_bytes([GRENOBLE])
    monkeypatch.setattr(ptce_xlsx, "MAX_UNZIPPED_BYTES", len(data))  # far below its XML
    monkeypatch.setattr(ptce_xlsx, "_open", lambda raw: pytest.fail("opened"))
    with pytest.raises(CsvFormatError, match="trop volumineux"):
        import_ptce_csv(data, name="bombe.xlsx")


def test_a_workbook_row_wider_than_its_header_is_an_error():
    header = ["nom", "commune_insee", "statut"]
    workbook_rows = [GRENOBLE, {**GRENOBLE, "nom": "Autre"}]
    data = xlsx_bytes(workbook_rows, header=[*header, ""])
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    book.active["E3"] = "égarée"
    out = io.BytesIO()
    book.save(out)
    result = import_ptce_csv(out.getvalue(), name="large.xlsx")

    assert [(e.line, e.message.split(" (")[0]) for e in result.errors] == [
        (3, "5 cellules pour 3 colonnes")
    ]
