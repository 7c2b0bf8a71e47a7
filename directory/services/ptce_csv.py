"""Reading a CSV of PTCEs in the import format (``ptce_rows``): ``,``, ``;`` or tab
separators, a UTF-8 BOM, Windows-1252 text. ``parse_file`` picks the CSV or the Excel reader
(``ptce_xlsx``) by the file's first bytes.

The work is linear in the size of the file; memory stays a small multiple of it. Lines are
fed to the csv reader one by one from the decoded text (no ``StringIO`` copy).
"""

import csv
import re
import threading
from contextlib import contextmanager

from .ptce_rows import (  # noqa: F401 - the import format, named from here since the start
    COLUMNS,
    MAX_CELL_CHARS,
    MAX_DATA_ROWS,
    MAX_FILE_BYTES,
    OPTIONAL_EXTRA_COLUMNS,
    CsvFormatError,
    Lookups,
    ParsedFile,
    PtceRow,
    RowError,
    check_size,
    read_rows,
)

_FIELD_LIMIT_LOCK = threading.Lock()


@contextmanager
def _csv_field_limit(limit: int):
    """``csv.field_size_limit`` is global to the process: raised for the reading of one
    file (so that the reader hands over any cell of an accepted file and the row loop can
    name the line and column of one over ``MAX_CELL_CHARS``), then restored. The lock keeps
    two imports in threads of one process from restoring it under each other."""
    with _FIELD_LIMIT_LOCK:
        previous = csv.field_size_limit(limit)
        try:
            yield
        finally:
            csv.field_size_limit(previous)


def decode(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict"), "windows-1252"


def _split_delimiter(text: str) -> str:
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str):
    """The lines of ``text`` with their ends (``\\r\\n``, ``\\n`` or ``\\r``), as
    ``io.StringIO(text, newline="")`` gives them, without its copy of the whole text (four
    bytes a character: 40 MB for a 10 MB file)."""
    return (match.group() for match in _LINE.finditer(text))


def parse_file(raw: bytes, lookups: Lookups, name: str = "") -> ParsedFile:
    """A CSV or an Excel workbook: a workbook by its content (a zip or OLE container) or by
    its ``name`` (``.xlsx``, then refused clearly when it is not one)."""
    from .ptce_xlsx import is_workbook_like, parse_xlsx

    if is_workbook_like(raw, name):
        return parse_xlsx(raw, lookups)
    return parse(raw, lookups)


def parse(raw: bytes, lookups: Lookups) -> ParsedFile:
    check_size(len(raw))
    if b"\x00" in raw:
        raise CsvFormatError("Le fichier contient des octets nuls : ce n'est pas un CSV texte.")
    try:
        text, encoding = decode(raw)
    except UnicodeDecodeError as error:
        raise CsvFormatError("Encodage illisible : enregistrez le fichier en CSV UTF-8.") from error
    if not text.strip():
        raise CsvFormatError("Le fichier est vide.")
    delimiter = _split_delimiter(text)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    # Any cell of an accepted file fits: its length is checked by the row loop.
    with _csv_field_limit(MAX_FILE_BYTES + 1):
        try:
            header = next(reader)
            rows, errors = read_rows(header, _records(reader), lookups, delimiter)
        except csv.Error as error:
            raise CsvFormatError(
                f"Ligne {reader.line_num} illisible ({error}) : vérifiez les guillemets."
            ) from error
    if not rows and not errors:
        raise CsvFormatError("Le fichier ne contient aucune ligne de données.")
    return ParsedFile(rows=rows, errors=errors, encoding=encoding, delimiter=delimiter)


def _records(reader):
    """``(first line of the record, cells)``: a quoted cell may span several lines."""
    line = reader.line_num
    for cells in reader:
        start_line, line = line + 1, reader.line_num
        yield start_line, cells
