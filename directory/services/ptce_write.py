"""Writing an import's rows one by one through the ORM, in one transaction: each PTCE saved
(signals: search columns, the public-data version moved once on commit) and its themes and
territories of action set, so that django-simple-history records a version of each, by
``user``, with ``reason``. Used by the back-office's import (small files, each change
attributed); the command line writes in bulk (``ptce_import``)."""

from django.db import transaction

from directory.models import Ptce, PtceStatus
from directory.models.ptce import RESERVED_SLUGS


def write_with_history(plan_new, plan_update, user, reason, unique_slug):
    """Returns ``[(ptce, created)]`` in the order written."""
    written = []
    with transaction.atomic():
        taken = {*Ptce.objects.values_list("slug", flat=True), *RESERVED_SLUGS}
        for row in plan_new:
            ptce = Ptce(
                name=row.name,
                slug=unique_slug(row.name, row.departement_code, taken),
                departement_id=row.departement_id,
                **{"status": PtceStatus.DRAFT, **row.values},
            )
            _save(ptce, row, user, reason)
            written.append((ptce, True))
        for ptce, row in plan_update:
            # The row's values are already set on ``ptce`` (ptce_import._apply_changes).
            _save(ptce, row, user, reason)
            written.append((ptce, False))
    return written


def _save(ptce, row, user, reason):
    ptce._history_user = user
    ptce._change_reason = reason
    ptce.save()
    if row.theme_ids is not None:
        ptce.themes.set(row.theme_ids)
    if row.action_territory_ids is not None:
        ptce.action_territories.set(row.action_territory_ids)
