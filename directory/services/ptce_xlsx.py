"""Reading an Excel workbook (.xlsx) of PTCEs in the import format (``ptce_rows``): the first
worksheet, its first row the header, line numbers those of Excel. openpyxl in read-only mode
(rows streamed, never the whole sheet in memory) and without computing formulas.

Same limits as a CSV (10 MB, 20,000 data rows, 5,000 characters a cell), plus: the unzipped
parts may not exceed ``MAX_UNZIPPED_BYTES`` (a "zip bomb" is refused before it is opened). A
file that is not a workbook, a password-protected one (an OLE container, like the old .xls),
an empty sheet: a ``CsvFormatError`` with a clear message. A formula or an error value
(``#N/A``) in a cell is an error of its line and column: the import takes values only.
"""

import datetime
import io
import warnings
import zipfile

from .ptce_rows import CsvFormatError, Formula, ParsedFile, check_size, read_rows

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
EXTRA_COLUMNS_READ = 5  # cells read beyond the header, to report a row wider than it
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
NOT_A_WORKBOOK = (
    "Ce fichier n'est pas un classeur Excel .xlsx lisible : enregistrez-le depuis votre "
    "tableur au format .xlsx ou en CSV UTF-8."
)
PROTECTED = (
    "Ce classeur est protégé par un mot de passe, ou au format .xls d'avant 2007 : "
    "enregistrez-le sans mot de passe au format .xlsx, ou en CSV UTF-8."
)


def is_workbook_like(raw: bytes, name: str = "") -> bool:
    """Whether ``raw`` is to be read as a workbook: a zip or OLE container, or a file named
    .xlsx (then refused clearly when it is not one)."""
    return raw.startswith((ZIP_MAGIC, OLE_MAGIC)) or name.lower().endswith(WORKBOOK_SUFFIXES)


def parse_xlsx(raw: bytes, lookups) -> ParsedFile:
    check_size(len(raw))
    if raw.startswith(OLE_MAGIC):
        raise CsvFormatError(PROTECTED)
    if not raw.strip():
        raise CsvFormatError("Le fichier est vide.")
    _check_zip(raw)
    # openpyxl warns about what it does not support (data validation, styles...): none of it
    # matters to values, and a warning is not the user's business.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = _open(raw)
        try:
            rows, errors = _read(workbook, lookups)
        finally:
            workbook.close()
    if not rows and not errors:
        raise CsvFormatError("Le classeur ne contient aucune ligne de données.")
    return ParsedFile(rows=rows, errors=errors, encoding="xlsx", delimiter="", kind="xlsx")


def _check_zip(raw):
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise CsvFormatError(NOT_A_WORKBOOK) from error
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise CsvFormatError(
            "Classeur trop volumineux une fois décompressé : découpez-le en plusieurs fichiers."
        )
    if not any(info.filename == "xl/workbook.xml" for info in infos):
        raise CsvFormatError(NOT_A_WORKBOOK)


def _open(raw):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as error:
        raise CsvFormatError(NOT_A_WORKBOOK) from error


def _read(workbook, lookups):
    if not workbook.worksheets:
        raise CsvFormatError("Le classeur ne contient aucune feuille.")
    sheet = workbook.worksheets[0]
    try:
        # The declared dimensions may be wrong (or hostile): read what is there.
        sheet.reset_dimensions()
        header_row = next(sheet.iter_rows(min_row=1, max_row=1), ())
        header = [_text(cell) for cell in header_row]
        if not any(cell.strip() for cell in header):
            raise CsvFormatError("Le fichier est vide (première ligne sans en-tête).")
        width = len(header) + EXTRA_COLUMNS_READ
        records = (
            (line, [_text(cell) for cell in cells])
            for line, cells in enumerate(sheet.iter_rows(min_row=2, max_col=width), start=2)
        )
        return read_rows(header, records, lookups, delimiter="")
    except CsvFormatError:
        raise
    except Exception as error:
        raise CsvFormatError(NOT_A_WORKBOOK) from error


def _text(cell):
    """A cell's value as the import format's text: integers without ``.0``, decimals with a
    dot, dates as ``YYYY-MM-DD``; a formula or an error value as ``Formula``."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if getattr(cell, "data_type", None) in ("f", "e"):
        return Formula(str(value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    return str(value)
