"""Exporting PTCEs in the import format (the columns of ``ptce_columns``), as CSV or XLSX.

- **CSV**: UTF-8 with a BOM (spreadsheets then read the accents right), ``;`` between cells,
  ``"`` around cells that need it, ``\\r\\n`` at the end of each line (RFC 4180; a line
  break inside a cell is kept as it is, inside its quotes).
- **XLSX** (openpyxl, write-only mode): one sheet « PTCE », every cell a text cell, as in the
  CSV: codes keep their leading zeros and the file reads back to the same values. Characters
  that XML 1.0 cannot hold (control characters other than tab and line breaks) are left out
  of the XLSX only, and its line breaks are line feeds (XML readers turn ``\r\n`` into
  ``\n``): a text written with ``\r\n`` (a form's text area) comes back with ``\n``.
- **Formulas**: a text cell that a spreadsheet would run is made inert (``spreadsheet_cells``)
  in both; the import restores it.

Memory stays flat with the number of PTCEs: rows are read ``CHUNK_SIZE`` at a time (a
server-side cursor on PostgreSQL), each chunk's themes and territories of action in one
query each; the CSV is produced as a stream of bytes, the XLSX in a temporary file.
"""

import csv
import tempfile

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from collectivites.models import Territory
from directory.models import Theme

from .ptce_columns import COLUMN_DEFINITIONS, READ_FIELDS
from .spreadsheet_cells import neutralise

CHUNK_SIZE = 500  # PTCEs per query (and per prefetch of their themes and territories)
LINES_PER_WRITE = 200  # CSV lines joined into one chunk of the stream
BOM = "\ufeff"
DELIMITER = ";"
LINE_END = "\r\n"
SHEET_TITLE = "PTCE"
# In memory up to this size, then on disk.
XLSX_SPOOL_BYTES = 8 * 1024 * 1024


def columns_named(names=None):
    """The column definitions, all of them or those named (in the file's order)."""
    if names is None:
        return list(COLUMN_DEFINITIONS)
    unknown = set(names) - {column.name for column in COLUMN_DEFINITIONS}
    if unknown:
        raise ValueError(f"unknown columns: {sorted(unknown)}")
    return [column for column in COLUMN_DEFINITIONS if column.name in names]


def for_export(queryset):
    """``queryset`` reading only what the columns need, with its relations: one query for
    the rows and, per chunk of rows, one for their themes and one for their territories of
    action."""
    return (
        queryset.select_related("seat_commune", "departement", "stage", "legal_form")
        .only(*READ_FIELDS)
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("slug")),
            Prefetch("action_territories", queryset=Territory.objects.only("kind", "code")),
        )
    )


def iter_ptces(queryset):
    """The PTCEs of ``queryset`` with what the columns read, ``CHUNK_SIZE`` at a time, in
    the queryset's order (by name when it has none)."""
    if not queryset.ordered:
        queryset = queryset.order_by("name", "pk")
    return for_export(queryset).iterator(chunk_size=CHUNK_SIZE)


def iter_records(queryset, columns=None):
    """Each PTCE's cells (strings, formulas not yet neutralised)."""
    columns = columns_named(columns)
    for ptce in iter_ptces(queryset):
        yield [column.value(ptce) or "" for column in columns]


def iter_rows(queryset, columns=None):
    """The header, then each PTCE's cells with formulas made inert."""
    yield [column.name for column in columns_named(columns)]
    for record in iter_records(queryset, columns):
        yield [neutralise(value) for value in record]


class _Line:
    """A file-like object that hands back what ``csv.writer`` writes to it."""

    def write(self, text):
        return text


def csv_chunks(queryset, columns=None):
    """The CSV file as a stream of ``bytes`` (for ``StreamingHttpResponse``)."""
    writer = csv.writer(_Line(), delimiter=DELIMITER, lineterminator=LINE_END)
    lines = [BOM]
    for row in iter_rows(queryset, columns):
        lines.append(writer.writerow(row))
        if len(lines) >= LINES_PER_WRITE:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8")


def write_csv(queryset, handle, columns=None):
    """Writes the CSV to ``handle`` (opened in binary mode)."""
    for chunk in csv_chunks(queryset, columns):
        handle.write(chunk)


def csv_bytes(queryset, columns=None):
    return b"".join(csv_chunks(queryset, columns))


def xlsx_text(value):
    """What an XLSX cell can hold of ``value``: XML 1.0 has no place for most control
    characters, and readers turn a carriage return into a line feed."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _text_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=xlsx_text(value))
    cell.data_type = "s"  # text, never a formula or a number, whatever it looks like
    return cell


def write_xlsx(queryset, handle, columns=None):
    """Writes the XLSX workbook to ``handle`` (opened in binary mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for row in iter_rows(queryset, columns):
        sheet.append([_text_cell(sheet, value) if value else None for value in row])
    workbook.save(handle)


def xlsx_file(queryset, columns=None):
    """The XLSX workbook in a temporary file, read from its start (closing it deletes it)."""
    # Handed over open: the response closes it once sent.
    handle = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115
    try:
        write_xlsx(queryset, handle, columns)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle


def xlsx_content(queryset, columns=None):
    """The workbook for a response: its bytes when it stayed in memory (most exports), else
    the open temporary file (for ``FileResponse``, which closes it once sent)."""
    handle = xlsx_file(queryset, columns)
    if handle.seek(0, 2) > XLSX_SPOOL_BYTES:
        handle.seek(0)
        return handle
    with handle:
        handle.seek(0)
        return handle.read()


def xlsx_bytes(queryset, columns=None):
    with xlsx_file(queryset, columns) as handle:
        return handle.read()


def filename(extension, prefix="ptce"):
    """``ptce-2026-12-03.csv``: dated by the day of the export."""
    return f"{prefix}-{timezone.localdate().isoformat()}.{extension}"


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
