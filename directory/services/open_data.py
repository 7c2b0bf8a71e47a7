"""The open-data files of the published PTCEs, written into a directory for a nightly
publication (``manage.py export_open_data DIR``):

- ``ptce.csv`` and ``ptce.xlsx``: the import format (``ptce_export``);
- ``ptce.geojson``: a FeatureCollection of the PTCEs having coordinates (RFC 7946, WGS84),
  each feature's properties being the file's columns (typed as in ``ptce.json``) and ``url``;
- ``ptce.json``: ``{"licence", "schema", "genere_le", "ptce": [...]}``, one object per PTCE
  with the file's columns as keys, typed: ``annee_creation`` an integer, ``latitude`` and
  ``longitude`` numbers, ``thematiques`` a list of slugs, ``territoires_action`` a list of
  ``niveau:code``, empty cells ``null`` (lists: ``[]``), plus ``url``, its page on the portal;
- ``schema-ptce.json``: the Table Schema of the CSV.

Every file is first written beside its final name, then all are renamed at once: a reader
sees the previous set or the new one, never a half-written file; after an error, the
previous files stay and the temporary ones are removed.
"""

import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from directory.models import Ptce

from . import ptce_export
from .ptce_columns import COLUMN_DEFINITIONS, LIST_SEPARATOR, table_schema

LICENCE = (
    "Licence Ouverte / Open Licence 2.0 (https://www.etalab.gouv.fr/licence-ouverte-open-licence/)"
)
FILE_NAMES = ["ptce.csv", "ptce.xlsx", "ptce.geojson", "ptce.json", "schema-ptce.json"]
LIST_COLUMNS = {"thematiques", "territoires_action"}


def published():
    return Ptce.objects.published().order_by("name", "pk")


def typed(column, value):
    """A cell's value in JSON: lists, numbers and ``None`` for empty cells."""
    if column.name in LIST_COLUMNS:
        return value.split(LIST_SEPARATOR) if value else []
    if not value:
        return None
    if column.type == "integer":
        return int(value)
    if column.type == "number":
        return float(value)
    return value


def page_url(slug):
    return settings.SITE_URL + reverse("directory:ptce-detail", kwargs={"slug": slug})


def iter_objects(queryset):
    """``{column: typed value, …, "url": …}`` for each PTCE."""
    for ptce in ptce_export.iter_ptces(queryset):
        record = {column.name: typed(column, column.value(ptce)) for column in COLUMN_DEFINITIONS}
        record["url"] = page_url(ptce.slug)
        yield record


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_json(queryset, handle):
    head = {
        "licence": LICENCE,
        "schema": settings.SITE_URL + reverse("directory:schema-ptce"),
        "genere_le": timezone.now().isoformat(timespec="seconds"),
    }
    handle.write(_dumps(head)[:-1].encode() + b',"ptce":[')
    for index, record in enumerate(iter_objects(queryset)):
        handle.write((b",\n" if index else b"\n") + _dumps(record).encode())
    handle.write(b"\n]}\n")


def write_geojson(queryset, handle):
    handle.write(b'{"type":"FeatureCollection","features":[')
    located = queryset.filter(latitude__isnull=False, longitude__isnull=False)
    for index, record in enumerate(iter_objects(located)):
        feature = {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [record["longitude"], record["latitude"]],
            },
            "properties": record,
        }
        handle.write((b",\n" if index else b"\n") + _dumps(feature).encode())
    handle.write(b"\n]}\n")


def write_schema(handle):
    handle.write(json.dumps(table_schema(), ensure_ascii=False, indent=2).encode() + b"\n")


WRITERS = {
    "ptce.csv": ptce_export.write_csv,
    "ptce.xlsx": ptce_export.write_xlsx,
    "ptce.geojson": write_geojson,
    "ptce.json": write_json,
    "schema-ptce.json": lambda _queryset, handle: write_schema(handle),
}


def export_open_data(directory, queryset=None):
    """Writes the files into ``directory`` (created if missing); returns their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    queryset = published() if queryset is None else queryset
    temporary = {}
    try:
        for name in FILE_NAMES:
            descriptor, path = tempfile.mkstemp(prefix=f".{name}.", dir=directory)
            temporary[name] = Path(path)
            with os.fdopen(descriptor, "wb") as handle:
                WRITERS[name](queryset, handle)
                handle.flush()
                os.fsync(handle.fileno())
            temporary[name].chmod(0o644)
        for name, path in temporary.items():
            path.replace(directory / name)
    finally:
        for path in temporary.values():
            path.unlink(missing_ok=True)
    return [directory / name for name in FILE_NAMES]
