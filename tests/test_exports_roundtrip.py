"""The round trip: export → import (dry run, then for real) changes nothing → export gives
the same file, for every status (a curator's file holds drafts), tricky values included,
with the optional columns (``territoires_action``, ``latitude``, ``longitude``,
``verifiee_le``), in CSV and in XLSX."""

import csv
import io

import pytest
from django.db.models import Max

from core.models import PublicDataVersion
from directory.models import Ptce
from directory.services import ptce_export
from directory.services.ptce_csv import COLUMNS, OPTIONAL_EXTRA_COLUMNS
from directory.services.ptce_import import import_ptce_csv

from .export_helpers import FORMULA_NAME, csv_rows, tricky_ptces, xlsx_rows
from .factories import PtceFactory

pytestmark = pytest.mark.django_db

EXISTING_COLUMNS = COLUMNS + OPTIONAL_EXTRA_COLUMNS


def everything():
    """What a curator's export holds: every PTCE, whatever its status."""
    return Ptce.objects.order_by("name", "pk")


def snapshot():
    """Every PTCE as stored, with its themes and territories of action."""
    rows = {}
    for ptce in everything().prefetch_related("themes", "action_territories"):
        values = {
            field.attname: getattr(ptce, field.attname)
            for field in Ptce._meta.concrete_fields
            if not field.name.startswith("search_")
        }
        values["themes"] = sorted(t.slug for t in ptce.themes.all())
        values["territories"] = sorted(t.pk for t in ptce.action_territories.all())
        rows[ptce.pk] = values
    return rows


def version():
    return PublicDataVersion.objects.aggregate(value=Max("value"))["value"]


def assert_import_changes_nothing(source, count):
    before, moved = snapshot(), version()
    dry = import_ptce_csv(source, dry_run=True)
    assert dry.errors == []
    assert (dry.created, dry.updated, len(dry.unchanged)) == ([], [], count)
    real = import_ptce_csv(source)
    assert real.errors == []
    assert (real.created, real.updated, len(real.unchanged)) == ([], [], count)
    assert snapshot() == before
    assert version() == moved


@pytest.fixture
def ptces():
    tricky_ptces()
    PtceFactory(name="Pôle sans commune", departement_code="60", description="", source="")
    return everything().count()


def test_csv_round_trip_on_the_existing_columns(ptces):
    first = ptce_export.csv_bytes(everything(), EXISTING_COLUMNS)
    assert csv_rows(first)[0] == EXISTING_COLUMNS
    # The inert cell goes in as it was before the export.
    assert "'" + FORMULA_NAME in [row[0] for row in csv_rows(first)]
    assert_import_changes_nothing(first, ptces)
    assert Ptce.objects.filter(name=FORMULA_NAME).exists()
    assert ptce_export.csv_bytes(everything(), EXISTING_COLUMNS) == first


def test_the_round_trip_would_see_a_change(ptces):
    """The round trip above is not vacuous: an edited cell is an update."""
    rows = csv_rows(ptce_export.csv_bytes(everything(), EXISTING_COLUMNS))
    source = rows[0].index("source")
    for row in rows[1:]:
        if row[0] == "Pôle d'Ajaccio":
            row[source] = "Source corrigée"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    result = import_ptce_csv(buffer.getvalue().encode("utf-8-sig"), dry_run=True)
    assert (result.errors, result.created, result.updated) == ([], [], ["Pôle d'Ajaccio"])


def test_csv_round_trip_with_the_new_columns(ptces):
    first = ptce_export.csv_bytes(everything())
    assert csv_rows(first)[0][-4:] == ["territoires_action", "latitude", "longitude", "verifiee_le"]
    assert_import_changes_nothing(first, ptces)
    assert ptce_export.csv_bytes(everything()) == first


def test_xlsx_round_trip_with_every_column(tmp_path):
    tricky_ptces(carriage_returns=False)  # an XLSX keeps line feeds only
    count = everything().count()
    path = tmp_path / "ptce.xlsx"
    path.write_bytes(ptce_export.xlsx_bytes(everything()))
    csv_before = ptce_export.csv_bytes(everything())
    assert_import_changes_nothing(path, count)
    assert ptce_export.csv_bytes(everything()) == csv_before
    second = tmp_path / "again.xlsx"
    second.write_bytes(ptce_export.xlsx_bytes(everything()))
    assert xlsx_rows(second.read_bytes()) == xlsx_rows(path.read_bytes())
