"""Spreadsheets for the import tests: the documented CSV header (that of the vendored
reference file) plus optional columns, as CSV bytes or as an Excel workbook built with
openpyxl."""

import csv
import io

from django.conf import settings
from openpyxl import Workbook

REFERENCE_FILE = settings.CONTENT_FIXTURES_DIR / "ptce-reference.csv"
NEW_COLUMNS = ["territoires_action", "latitude", "longitude", "verifiee_le"]


def reference_header():
    with REFERENCE_FILE.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def full_header():
    return [*reference_header(), "resume", "courriel", "telephone", *NEW_COLUMNS]


def csv_bytes(rows, header=None, delimiter=","):
    header = full_header() if header is None else header
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows, header=None):
    """A workbook whose first sheet holds ``header`` then ``rows`` (dicts); values keep
    their Python type (numbers, dates, formulas as ``"=..."`` strings)."""
    header = full_header() if header is None else header
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "PTCE"
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column) for column in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
