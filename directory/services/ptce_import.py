"""Importing PTCEs from a CSV or an Excel .xlsx file: all rows apply, or none.

A row whose name and département match an existing PTCE updates it; empty cells never erase
what curators entered (an import only adds or replaces information). ``dry_run`` validates and
reports what would happen without writing: each creation (with its possible duplicates:
``Ptce.objects.possible_duplicates``), each update field by field (old → new value,
``ptce_preview``), each row error. A file over the limits of ``ptce_rows``
(``MAX_FILE_BYTES``, ``MAX_DATA_ROWS``) is refused with ``CsvFormatError`` before anything is
written; the size of a file on disk is checked before it is read.

``check_row(row, current)`` (given by the back-office: a curator's scope, the status
transitions) returns more row errors for a row (``current``: the PTCE it updates, or None).
With a ``user`` the rows are written one by one through the ORM (``ptce_write``: signals,
django-simple-history versions by that user); without one (the command line), in bulk.
"""

import itertools
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from collectivites.models import Territory, TerritoryAncestry, TerritoryKind
from core.cache import bump_public_version
from core.db import analyze
from directory.models import LegalForm, Ptce, PtceStatus, Stage, Theme
from directory.models.ptce import RESERVED_SLUGS
from directory.search import refresh_search_fields

from .ptce_csv import parse_file
from .ptce_preview import PlannedRow, describe, duplicates_of, same_value
from .ptce_rows import MAX_FILE_BYTES, CsvFormatError, Lookups, check_size, number
from .ptce_write import write_with_history

__all__ = ["CsvFormatError", "ImportResult", "import_ptce_csv", "load_lookups"]

BATCH_SIZE = 1000
ANALYZE_AFTER = 1000  # rows written
SEARCH_FIELDS = ["search_name", "search_document", "search_text", "search_vector"]


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    plan: list = field(default_factory=list)  # PlannedRow of each row, in file order
    encoding: str = "utf-8"
    delimiter: str = ","
    kind: str = "csv"
    dry_run: bool = False
    written: list = field(default_factory=list)  # (ptce, created) once written

    @property
    def ok(self):
        return not self.errors


def load_lookups() -> Lookups:
    commune_links = TerritoryAncestry.objects.filter(
        territory__kind=TerritoryKind.COMMUNE, ancestor__kind=TerritoryKind.DEPARTEMENT
    ).values_list(
        "territory__code",
        "territory_id",
        "ancestor__code",
        "territory__latitude",
        "territory__longitude",
    )

    def codes(kind):
        return dict(Territory.objects.of_kind(kind).values_list("code", "pk"))

    return Lookups(
        communes={code: (pk, dep, lat, lon) for code, pk, dep, lat, lon in commune_links},
        departements=codes(TerritoryKind.DEPARTEMENT),
        themes=list(Theme.objects.values_list("slug", "name", "pk")),
        stages=list(Stage.objects.values_list("slug", "name", "pk")),
        legal_forms=list(LegalForm.objects.values_list("slug", "name", "pk")),
        regions=codes(TerritoryKind.REGION),
        epcis=codes(TerritoryKind.EPCI),
    )


def import_ptce_csv(
    source, *, dry_run=False, name="", check_row=None, user=None, reason="", max_rows=None
) -> ImportResult:
    """``source``: a path or the file's bytes (``name``: its name, ``.xlsx`` or not). Raises
    ``CsvFormatError`` when the file as a whole is unreadable or has more than ``max_rows``
    valid rows; row problems come back in ``result.errors`` with nothing written."""
    if isinstance(source, str | Path):
        name = name or str(source)
        raw = _read(source)
    else:
        raw = source
    parsed = parse_file(raw, load_lookups(), name)
    del raw
    if max_rows is not None and len(parsed.rows) > max_rows:
        raise CsvFormatError(
            f"{number(len(parsed.rows))} lignes : {number(max_rows)} au plus ici. Découpez le "
            "fichier, ou faites-le importer en ligne de commande (manage.py import_ptce)."
        )
    result = ImportResult(
        errors=parsed.errors,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        kind=parsed.kind,
        dry_run=dry_run,
    )
    if parsed.errors:
        return result
    existing, existing_links = _existing(parsed.rows)
    plan_new, plan_update = [], []
    for row in parsed.rows:
        current = existing.get((row.name.casefold(), row.departement_id))
        if current is None:
            if check_row is not None:
                result.errors.extend(check_row(row, None))
            plan_new.append(row)
            result.created.append(row.name)
            result.plan.append(PlannedRow(row, "create"))
            continue
        links = existing_links[current.pk]
        changes = describe(current, row, links)
        if not changes:
            # A row that changes nothing is checked for nothing (an export of the whole
            # directory, edited for one région, comes back whole).
            result.unchanged.append(row.name)
            result.plan.append(PlannedRow(row, "unchanged", current))
            continue
        if check_row is not None:
            result.errors.extend(check_row(row, current))  # as the PTCE is now
        _apply_changes(current, row, links)
        plan_update.append((current, row))
        result.updated.append(row.name)
        result.plan.append(PlannedRow(row, "update", current, changes))
    if result.errors:
        return result
    duplicates_of([item for item in result.plan if item.action == "create"])
    if dry_run:
        return result
    if user is not None:
        result.written = write_with_history(plan_new, plan_update, user, reason, _unique_slug)
        return result
    _write_in_bulk(plan_new, plan_update)
    return result


def _write_in_bulk(plan_new, plan_update):
    with transaction.atomic():
        created = _create(
            plan_new,
            existing_slugs={*Ptce.objects.values_list("slug", flat=True), *RESERVED_SLUGS},
        )
        _update(plan_update)
        written = [p.pk for p in created] + [p.pk for p, _ in plan_update]
        for start in range(0, len(written), BATCH_SIZE):
            refresh_search_fields(written[start : start + BATCH_SIZE])
        if any(p.status == PtceStatus.PUBLISHED for p in created) or any(
            p.is_or_was_public for p, _row in plan_update
        ):
            bump_public_version()  # bulk writes send no signal
    if len(plan_new) + len(plan_update) >= ANALYZE_AFTER:
        # Fresh statistics, so that the planner knows the table's new size at once.
        analyze(Ptce)


def _read(path):
    """The bytes of the file at ``path``, refused by its size before it is read (and read
    no further than the limit, should it grow meanwhile)."""
    with Path(path).open("rb") as handle:
        check_size(os.fstat(handle.fileno()).st_size)
        raw = handle.read(MAX_FILE_BYTES + 1)
    check_size(len(raw))
    return raw


def _existing(rows):
    """The PTCEs that ``rows`` name (same name whatever the case, same département), keyed
    like the rows, and the ids of each one's themes and territories of action
    (``{pk: {"themes": set, "territories": set}}``). Only those PTCEs are loaded in full,
    without their large search columns, batch by batch: memory follows the file, not the
    table."""
    wanted = {(row.name.casefold(), row.departement_id) for row in rows}
    keys = {}
    names = Ptce.objects.values_list("pk", "name", "departement_id")
    for pk, name, departement_id in names.iterator(chunk_size=BATCH_SIZE * 5):
        key = (name.casefold(), departement_id)
        if key in wanted:
            keys[pk] = key
    existing = {}
    links = defaultdict(lambda: {"themes": set(), "territories": set()})
    pks = list(keys)
    themes = Ptce.themes.through.objects.values_list("ptce_id", "theme_id")
    territories = Ptce.action_territories.through.objects.values_list("ptce_id", "territory_id")
    for start in range(0, len(pks), BATCH_SIZE):
        batch = pks[start : start + BATCH_SIZE]
        for ptce in Ptce.objects.defer(*SEARCH_FIELDS).filter(pk__in=batch):
            existing[keys[ptce.pk]] = ptce
        for ptce_id, theme_id in themes.filter(ptce_id__in=batch):
            links[ptce_id]["themes"].add(theme_id)
        if any(row.action_territory_ids is not None for row in rows):
            for ptce_id, territory_id in territories.filter(ptce_id__in=batch):
                links[ptce_id]["territories"].add(territory_id)
    return existing, links


def row_values(ptce, row):
    """The row's values that apply to ``ptce``: coordinates derived from the same commune
    as before are left alone (a curator may have refined them); columns given are not."""
    values = dict(row.values)
    if (
        not row.explicit_coordinates
        and "seat_commune_id" in values
        and values["seat_commune_id"] == ptce.seat_commune_id
    ):
        values.pop("latitude"), values.pop("longitude")
    return values


def _apply_changes(ptce, row, links):
    """Copy the row's values onto ``ptce`` (whose themes and territories of action are in
    ``links``); True when anything changed."""
    changed = False
    for name, value in row_values(ptce, row).items():
        if not same_value(name, getattr(ptce, name), value):
            setattr(ptce, name, value)
            changed = True
    if row.theme_ids is not None and links["themes"] != set(row.theme_ids):
        changed = True
    if row.action_territory_ids is not None and links["territories"] != set(
        row.action_territory_ids
    ):
        changed = True
    return changed


def _unique_slug(name, departement_code, taken):
    base = slugify(name)[:200] or "ptce"
    code = departement_code.lower()
    candidates = itertools.chain(
        [base, f"{base}-{code}"], (f"{base}-{code}-{n}" for n in itertools.count(2))
    )
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise AssertionError("unreachable: itertools.count is endless")


def _create(rows, existing_slugs):
    objects = []
    now = timezone.now()
    for row in rows:
        values = {"status": PtceStatus.DRAFT, **row.values}
        ptce = Ptce(
            name=row.name,
            slug=_unique_slug(row.name, row.departement_code, existing_slugs),
            departement_id=row.departement_id,
            **values,
        )
        ptce.mark_published(now)
        objects.append(ptce)
    for start in range(0, len(objects), BATCH_SIZE):
        Ptce.objects.bulk_create(objects[start : start + BATCH_SIZE])
    # bulk_create sets primary keys on both SQLite and PostgreSQL.
    pairs = list(zip(objects, rows, strict=True))
    _set_links(Ptce.themes.through, "theme_id", [(p, r.theme_ids) for p, r in pairs])
    _set_links(
        Ptce.action_territories.through,
        "territory_id",
        [(p, r.action_territory_ids) for p, r in pairs],
    )
    return objects


def _update(plan):
    if not plan:
        return
    now = timezone.now()
    fields = {"updated_at"}
    for ptce, row in plan:
        ptce.updated_at = now
        if ptce.mark_published(now):
            fields.add("published_at")
        fields.update(name for name in row.values if name not in ("latitude", "longitude"))
        if "seat_commune_id" in row.values or row.explicit_coordinates:
            fields.update({"latitude", "longitude"})
    fields = sorted(name.removesuffix("_id") for name in fields)
    objects = [ptce for ptce, _ in plan]
    # One call per batch: bulk_update builds the CASE expressions of all its batches before
    # running the first (about 270 MB for 20,000 rows).
    for start in range(0, len(objects), BATCH_SIZE):
        Ptce.objects.bulk_update(objects[start : start + BATCH_SIZE], fields)
    _set_links(Ptce.themes.through, "theme_id", [(p, r.theme_ids) for p, r in plan])
    _set_links(
        Ptce.action_territories.through,
        "territory_id",
        [(p, r.action_territory_ids) for p, r in plan],
    )


def _set_links(through, target, assignments):
    """Replace the links (themes, territories of action) of the PTCEs whose new ids are
    given (None: keep them)."""
    assignments = [(ptce, ids) for ptce, ids in assignments if ids is not None]
    if not assignments:
        return
    through.objects.filter(ptce_id__in=[ptce.pk for ptce, _ in assignments]).delete()
    links = [
        through(ptce_id=ptce.pk, **{target: target_id})
        for ptce, target_ids in assignments
        for target_id in target_ids
    ]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE * 5)
