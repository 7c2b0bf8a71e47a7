"""Helpers for the export tests: PTCEs with tricky values, and reading the files back."""

import csv
import datetime
import io

from openpyxl import load_workbook

from .factories import PtceFactory, epci, legal_form, region, stage, territory

FORMULA_NAME = '=HYPERLINK("http://evil.example";"clic")'


def tricky_ptces(carriage_returns=True):
    """Three published PTCEs whose values test the file format: accents, ``;``, quotes, line
    breaks, formula-looking cells, an overseas commune (97411) and a Corsican one (2A004);
    plus a draft and a PTCE in review, which public files never show. ``carriage_returns``:
    a description with ``\r\n`` (as a form's text area sends it), which an XLSX cannot
    keep (``ptce_export.xlsx_text``)."""
    line_break = "\r\n" if carriage_returns else "\n"
    grenoble = PtceFactory(
        name="Pôle « Éco-Alpes » ; coopérer",
        commune_code="38185",
        description=f'Ligne 1 ; "citée"{line_break}Ligne 2\navec é, à, ç',
        summary="+33 4 76 00 00 00 : appelez-nous",
        carrying_structure="@Structure porteuse",
        source="-moins",
        website="https://example.org/a;b?c=1",
        email="contact@eco-alpes.example",
        phone="04 76 00 00 00",
        year_founded=2014,
        stage=stage("consolidation"),
        legal_form=legal_form("scic"),
        latitude=45.1875602,
        longitude=5.7357819,
        last_verified=datetime.date(2026, 3, 14),
        themes=["habitat", "culture"],
        action_territories=[
            territory("commune", "38185"),
            epci("200040715"),
            territory("departement", "38"),
            region("84"),
        ],
    )
    reunion = PtceFactory(
        name=FORMULA_NAME,
        commune_code="97411",
        description="\tTabulation en tête",
        summary="",
        longitude=55.45,
        latitude=-20.88,
        themes=["alimentation"],
    )
    corse = PtceFactory(
        name="Pôle d'Ajaccio",
        commune_code="2A004",
        description="'=déjà une apostrophe",
        source='Plusieurs\nlignes ; et "guillemets"',
    )
    PtceFactory(name="Brouillon secret", commune_code="38185", status="draft")
    PtceFactory(name="En relecture", departement_code="60", status="review")
    return grenoble, reunion, corse


def csv_rows(body: bytes):
    """The rows of a CSV export (BOM checked and removed)."""
    assert body.startswith(b"\xef\xbb\xbf")
    text = body[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def xlsx_sheet(body: bytes):
    workbook = load_workbook(io.BytesIO(body))
    return workbook["PTCE"]


def xlsx_rows(body: bytes):
    return [[cell.value or "" for cell in row] for row in xlsx_sheet(body).iter_rows()]


def as_dicts(rows):
    header, *data = rows
    return [dict(zip(header, row, strict=True)) for row in data]


def streamed(response):
    return b"".join(response.streaming_content) if response.streaming else response.content
