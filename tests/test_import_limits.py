"""The CSV import's limits (``directory.services.ptce_csv``): 10 MB, 20,000 data rows,
5,000 characters a cell. Each refusal is a clear message, never a traceback, and nothing is
written."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.models import Ptce
from directory.services.ptce_csv import MAX_CELL_CHARS, MAX_DATA_ROWS, MAX_FILE_BYTES
from directory.services.ptce_import import CsvFormatError, import_ptce_csv

from .factories import PtceFactory

pytestmark = pytest.mark.django_db

HEADER = "nom,departement,description\r\n"


def rows_text(count, *, start=0):
    return "".join(f"Pôle n°{index},60,Texte.\r\n" for index in range(start, start + count))


def run_command(path):
    out, err = StringIO(), StringIO()
    call_command("import_ptce", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- size -----------------------------------------------------------------------------------
def test_a_file_over_10_mb_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "gros.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # NUL bytes: a read would fail on them first
    before = Ptce.objects.count()

    with pytest.raises(CommandError, match=r"10\xa0Mo au plus"):
        run_command(path)

    assert Ptce.objects.count() == before


def test_bytes_over_10_mb_are_refused_too():
    data = (HEADER + rows_text(1)).encode() + b" " * MAX_FILE_BYTES

    with pytest.raises(CsvFormatError, match="Découpez-le"):
        import_ptce_csv(data)

    assert not Ptce.objects.exists()


# --- rows -----------------------------------------------------------------------------------
def test_more_than_20000_rows_are_refused_and_nothing_is_written(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(HEADER + rows_text(MAX_DATA_ROWS + 1), encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        run_command(path)

    message = str(caught.value)
    assert "plus de 20\xa0000 lignes de données" in message
    assert f"ligne {MAX_DATA_ROWS + 2}" in message  # the header is line 1
    assert not Ptce.objects.exists()


def test_20000_rows_and_blank_lines_are_accepted():
    text = HEADER + "\r\n,,\r\n" + rows_text(MAX_DATA_ROWS)

    result = import_ptce_csv(text.encode(), dry_run=True)

    assert result.ok
    assert len(result.created) == MAX_DATA_ROWS
    assert not Ptce.objects.exists()


# --- cells ----------------------------------------------------------------------------------
@pytest.mark.parametrize("length", [MAX_CELL_CHARS + 1, 200_000])  # 200,000: over csv's limit
def test_an_oversized_cell_is_an_error_of_its_line_and_column(length):
    text = HEADER + rows_text(2) + f'Pôle bavard,60,"{"x" * length}"\r\n' + rows_text(1, start=5)
    field_limit = csv.field_size_limit()

    result = import_ptce_csv(text.encode())

    assert [(error.line, error.column) for error in result.errors] == [(4, "description")]
    message = str(result.errors[0])
    assert f"{length:_}".replace("_", "\xa0") in message
    assert "5\xa0000 au plus" in message
    assert len(message) < 400
    assert csv.field_size_limit() == field_limit  # the global limit is restored
    assert not Ptce.objects.exists()


def test_an_unclosed_quote_swallowing_the_file_is_reported_not_raised():
    text = HEADER + rows_text(1) + 'Pôle ouvert,60,"Texte sans fin\r\n' + rows_text(500, start=1)

    result = import_ptce_csv(text.encode())

    assert [(error.line, error.column) for error in result.errors] == [(3, "description")]
    assert "guillemet non fermé" in str(result.errors[0])
    assert not Ptce.objects.exists()


def test_a_cell_at_the_limit_is_imported():
    text = HEADER + f"Pôle disert,60,{'é' * MAX_CELL_CHARS}\r\n"

    result = import_ptce_csv(text.encode())

    assert result.ok
    assert len(Ptce.objects.get().description) == MAX_CELL_CHARS


# --- header ---------------------------------------------------------------------------------
def test_a_header_of_30000_columns_is_refused_with_a_short_message():
    header = ",".join(["nom", "departement", *(f"colonne_{n}" for n in range(30_000))])

    with pytest.raises(CsvFormatError) as caught:
        import_ptce_csv(f"{header}\r\nPôle,60\r\n".encode())

    message = str(caught.value)
    assert "colonnes inconnues : « colonne_0 »" in message
    assert "et 29\xa0990 autres" in message
    assert len(message) < 1000


def test_a_header_of_30000_duplicated_columns_is_refused():
    header = ",".join(["nom", *["departement"] * 30_000])

    with pytest.raises(CsvFormatError, match="colonnes en double : « departement »"):
        import_ptce_csv(f"{header}\r\nPôle,60\r\n".encode())


# --- all or nothing -------------------------------------------------------------------------
def test_one_oversized_cell_and_nothing_is_written_or_changed(tmp_path):
    existing = PtceFactory(name="Pôle n°0", departement_code="60", description="Ancien")
    path = tmp_path / "mixte.csv"
    path.write_text(
        HEADER + rows_text(3) + f"Pôle n°9,60,{'y' * (MAX_CELL_CHARS + 1)}\r\n", encoding="utf-8"
    )

    err = StringIO()
    with pytest.raises(CommandError, match="aucune modification"):
        call_command("import_ptce", str(path), stdout=StringIO(), stderr=err)

    assert "ligne 5, colonne « description »" in err.getvalue()
    assert list(Ptce.objects.values_list("pk", flat=True)) == [existing.pk]
    existing.refresh_from_db()
    assert existing.description == "Ancien"


@pytest.mark.parametrize("end", ["\r\n", "\n", "\r"])
def test_lines_are_read_one_by_one_whatever_their_end(end):
    text = end.join(
        ["nom,departement,description", "Pôle n°1,60,Texte", 'Pôle n°2,60,"Sur', 'deux lignes"']
    )

    result = import_ptce_csv(text.encode())

    assert result.ok, [str(error) for error in result.errors]
    assert Ptce.objects.get(name="Pôle n°2").description == f"Sur{end}deux lignes"
