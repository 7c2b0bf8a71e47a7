"""Importing PTCEs from a CSV: all rows apply, or none.

A row whose name and département match an existing PTCE updates it; empty cells never erase
what curators entered (an import only adds or replaces information). ``dry_run`` validates and
reports what would happen without writing. A file over the limits of ``ptce_csv``
(``MAX_FILE_BYTES``, ``MAX_DATA_ROWS``) is refused with ``CsvFormatError`` before anything is
written; the size of a file on disk is checked before it is read.
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

from .ptce_csv import MAX_FILE_BYTES, CsvFormatError, Lookups, check_size, parse

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
    encoding: str = "utf-8"
    delimiter: str = ","
    dry_run: bool = False

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
    return Lookups(
        communes={code: (pk, dep, lat, lon) for code, pk, dep, lat, lon in commune_links},
        departements=dict(
            Territory.objects.of_kind(TerritoryKind.DEPARTEMENT).values_list("code", "pk")
        ),
        themes=list(Theme.objects.values_list("slug", "name", "pk")),
        stages=list(Stage.objects.values_list("slug", "name", "pk")),
        legal_forms=list(LegalForm.objects.values_list("slug", "name", "pk")),
    )


def import_ptce_csv(source, *, dry_run=False) -> ImportResult:
    """``source``: a path or the file's bytes. Raises ``CsvFormatError`` when the file as a
    whole is unreadable; row problems come back in ``result.errors`` with nothing written."""
    raw = _read(source) if isinstance(source, str | Path) else source
    parsed = parse(raw, load_lookups())
    del raw
    result = ImportResult(
        errors=parsed.errors,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        dry_run=dry_run,
    )
    if parsed.errors:
        return result
    existing, existing_themes = _existing(parsed.rows)
    plan_new, plan_update = [], []
    for row in parsed.rows:
        current = existing.get((row.name.casefold(), row.departement_id))
        if current is None:
            plan_new.append(row)
            result.created.append(row.name)
        elif _apply_changes(current, row, existing_themes[current.pk]):
            plan_update.append((current, row))
            result.updated.append(row.name)
        else:
            result.unchanged.append(row.name)
    if not dry_run:
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
    return result


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
    like the rows, and the ids of each one's themes. Only those PTCEs are loaded in full,
    without their large search columns, batch by batch: memory follows the file, not the
    table."""
    wanted = {(row.name.casefold(), row.departement_id) for row in rows}
    keys = {}
    names = Ptce.objects.values_list("pk", "name", "departement_id")
    for pk, name, departement_id in names.iterator(chunk_size=BATCH_SIZE * 5):
        key = (name.casefold(), departement_id)
        if key in wanted:
            keys[pk] = key
    existing, themes = {}, defaultdict(set)
    pks = list(keys)
    links = Ptce.themes.through.objects.values_list("ptce_id", "theme_id")
    for start in range(0, len(pks), BATCH_SIZE):
        batch = pks[start : start + BATCH_SIZE]
        for ptce in Ptce.objects.defer(*SEARCH_FIELDS).filter(pk__in=batch):
            existing[keys[ptce.pk]] = ptce
        for ptce_id, theme_id in links.filter(ptce_id__in=batch):
            themes[ptce_id].add(theme_id)
    return existing, themes


def _apply_changes(ptce, row, theme_ids):
    """Copy the row's values onto ``ptce`` (whose themes are ``theme_ids``); True when
    anything changed."""
    changed = False
    values = dict(row.values)
    if "seat_commune_id" in values and values["seat_commune_id"] == ptce.seat_commune_id:
        # Same commune: keep coordinates a curator may have refined.
        values.pop("latitude"), values.pop("longitude")
    for name, value in values.items():
        if getattr(ptce, name) != value:
            setattr(ptce, name, value)
            changed = True
    if row.theme_ids is not None and theme_ids != set(row.theme_ids):
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
    _set_themes([(ptce, row.theme_ids) for ptce, row in zip(objects, rows, strict=True)])
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
        if "seat_commune_id" in row.values:
            fields.update({"latitude", "longitude"})
    fields = sorted(name.removesuffix("_id") for name in fields)
    objects = [ptce for ptce, _ in plan]
    # One call per batch: bulk_update builds the CASE expressions of all its batches before
    # running the first (about 270 MB for 20,000 rows).
    for start in range(0, len(objects), BATCH_SIZE):
        Ptce.objects.bulk_update(objects[start : start + BATCH_SIZE], fields)
    _set_themes([(ptce, row.theme_ids) for ptce, row in plan if row.theme_ids is not None])


def _set_themes(assignments):
    through = Ptce.themes.through
    assignments = [(ptce, ids) for ptce, ids in assignments if ids is not None]
    through.objects.filter(ptce_id__in=[ptce.pk for ptce, _ in assignments]).delete()
    links = [
        through(ptce_id=ptce.pk, theme_id=theme_id)
        for ptce, theme_ids in assignments
        for theme_id in theme_ids
    ]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE * 5)
