"""Loading the official territories from the vendored files of ``fixtures/territories/``.

The import is idempotent: a second run creates nothing and changes nothing; a renamed
territory is updated; territories that left the files (merged communes…) are kept and
reported, since PTCEs may still point at them. Everything happens in one transaction.
"""

import csv
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from collectivites.models import Territory, TerritoryAncestry, TerritoryKind
from collectivites.signals import territories_renamed
from core.cache import bump_public_version
from core.db import analyze
from core.text import normalize

FILES = {
    TerritoryKind.REGION: "regions.csv",
    TerritoryKind.DEPARTEMENT: "departements.csv",
    TerritoryKind.EPCI: "epci.csv",
    TerritoryKind.COMMUNE: "communes.csv",
}
COMPARED_FIELDS = [
    "name",
    "slug",
    "search_name",
    "tncc",
    "nature",
    "population",
    "postcodes",
    "latitude",
    "longitude",
]
BATCH_SIZE = 2000


class TerritoryFileError(Exception):
    """A vendored file is missing or malformed."""


@dataclass
class TerritoryImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    links_added: int = 0
    links_removed: int = 0
    missing_from_files: int = 0

    @property
    def changed_anything(self):
        return bool(sum(self.created.values()) or sum(self.updated.values())) or bool(
            self.links_added or self.links_removed
        )


@dataclass
class TerritoryRow:
    kind: str
    code: str
    values: dict
    parents: list = field(default_factory=list)  # [(kind, code), ...]


def _optional_int(value):
    return int(value) if value not in ("", None) else None


def _optional_float(value):
    return float(value) if value not in ("", None) else None


def _codes(value):
    return [code for code in (value or "").split("|") if code]


def _row_values(row, kind):
    name = row["name"].strip()
    return {
        "name": name,
        "slug": slugify(name)[:200],
        "search_name": normalize(name)[:200],
        "tncc": _optional_int(row.get("tncc")),
        "nature": row.get("nature", "") or "",
        "population": _optional_int(row.get("population")),
        "postcodes": _codes(row.get("postcodes")) if kind == TerritoryKind.COMMUNE else [],
        "latitude": _optional_float(row.get("latitude")),
        "longitude": _optional_float(row.get("longitude")),
    }


def _parents(row, kind):
    region, dep = TerritoryKind.REGION, TerritoryKind.DEPARTEMENT
    if kind == TerritoryKind.DEPARTEMENT:
        return [(region, row["region"])]
    if kind == TerritoryKind.EPCI:
        return [(dep, code) for code in _codes(row["departements"])] + [
            (region, code) for code in _codes(row["regions"])
        ]
    if kind == TerritoryKind.COMMUNE:
        parents = [(dep, row["departement"]), (region, row["region"])]
        if row.get("epci"):
            parents.append((TerritoryKind.EPCI, row["epci"]))
        return parents
    return []


def read_territory_files(directory: Path) -> list[TerritoryRow]:
    rows = []
    for kind, filename in FILES.items():
        path = Path(directory) / filename
        if not path.exists():
            raise TerritoryFileError(
                f"{path} is missing: rebuild it with `python scripts/build_territories.py`."
            )
        with path.open(encoding="utf-8", newline="") as handle:
            for line_number, row in enumerate(csv.DictReader(handle), start=2):
                try:
                    rows.append(
                        TerritoryRow(kind, row["code"], _row_values(row, kind), _parents(row, kind))
                    )
                except (KeyError, ValueError) as error:
                    raise TerritoryFileError(f"{path}:{line_number}: {error!r}") from error
    return rows


def _noop(message):
    return None


def import_territories(
    directory: Path, progress: Callable[[str], None] = _noop
) -> TerritoryImportReport:
    rows = read_territory_files(directory)
    progress(f"{len(rows)} territoires lus dans {directory}.")
    report = TerritoryImportReport()
    with transaction.atomic():
        renamed = _upsert_territories(rows, report, progress)
        _sync_ancestry(rows, report, progress)
        if renamed:
            territories_renamed.send(sender=Territory, ids=renamed)
        if report.changed_anything:
            bump_public_version()  # bulk writes send no signal
    if report.changed_anything:
        analyze(Territory, TerritoryAncestry)
    return report


def _upsert_territories(rows, report, progress):
    """Creates and updates the territories of ``rows``; the ids of those renamed."""
    existing = {(t.kind, t.code): t for t in Territory.objects.all()}
    to_create, to_update, renamed = [], [], []
    for row in rows:
        current = existing.pop((row.kind, row.code), None)
        if current is None:
            to_create.append(Territory(kind=row.kind, code=row.code, **row.values))
            report.created[row.kind] += 1
        elif any(getattr(current, name) != value for name, value in row.values.items()):
            if current.name != row.values["name"]:
                renamed.append(current.pk)
            for name, value in row.values.items():
                setattr(current, name, value)
            to_update.append(current)
            report.updated[row.kind] += 1
        else:
            report.unchanged[row.kind] += 1
    report.missing_from_files = len(existing)
    for start in range(0, len(to_create), BATCH_SIZE):
        Territory.objects.bulk_create(to_create[start : start + BATCH_SIZE])
        progress(f"  créés : {min(start + BATCH_SIZE, len(to_create))}/{len(to_create)}")
    for start in range(0, len(to_update), BATCH_SIZE):
        Territory.objects.bulk_update(to_update[start : start + BATCH_SIZE], COMPARED_FIELDS)
        progress(f"  mis à jour : {min(start + BATCH_SIZE, len(to_update))}/{len(to_update)}")
    return renamed


def _sync_ancestry(rows, report, progress):
    ids = {
        (kind, code): pk for kind, code, pk in Territory.objects.values_list("kind", "code", "pk")
    }
    desired = set()
    for row in rows:
        child = ids[(row.kind, row.code)]
        for parent in row.parents:
            if parent not in ids:
                raise TerritoryFileError(
                    f"{row.kind} {row.code} refers to unknown {parent[0]} {parent[1]}."
                )
            desired.add((child, ids[parent]))
    current = set(TerritoryAncestry.objects.values_list("territory_id", "ancestor_id"))
    to_add = sorted(desired - current)
    to_remove = current - desired
    for start in range(0, len(to_add), BATCH_SIZE * 5):
        TerritoryAncestry.objects.bulk_create(
            TerritoryAncestry(territory_id=child, ancestor_id=parent)
            for child, parent in to_add[start : start + BATCH_SIZE * 5]
        )
        progress(
            f"  liens d'appartenance : {min(start + BATCH_SIZE * 5, len(to_add))}/{len(to_add)}"
        )
    if to_remove:
        removed_children = {child for child, _ in to_remove}
        for child in removed_children:
            parents = [parent for c, parent in to_remove if c == child]
            TerritoryAncestry.objects.filter(territory_id=child, ancestor_id__in=parents).delete()
    report.links_added = len(to_add)
    report.links_removed = len(to_remove)
