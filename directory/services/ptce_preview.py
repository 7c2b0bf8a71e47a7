"""What an import would do, for its preview: each row planned (create, update, unchanged),
an update's changes field by field (label, old value, new value, as a curator reads them) and
a creation's possible duplicates (``Ptce.objects.possible_duplicates``)."""

from dataclasses import dataclass, field

from collectivites.models import Territory
from directory.models import LegalForm, Ptce, PtceStatus, Stage, Theme

MAX_DUPLICATE_CHECKS = 500  # creations checked for duplicates (one or two queries each)
REFERENCES = {
    "seat_commune_id": Territory,
    "stage_id": Stage,
    "legal_form_id": LegalForm,
}


@dataclass
class PlannedRow:
    row: object  # ptce_rows.PtceRow
    action: str  # "create", "update" or "unchanged"
    current: object = None  # the PTCE updated
    changes: list = field(default_factory=list)  # [(label, old, new)]
    duplicates: list = field(default_factory=list)  # [Ptce]

    @property
    def line(self):
        return self.row.line

    @property
    def name(self):
        return self.row.name


def _label(name):
    return str(Ptce._meta.get_field(name.removesuffix("_id")).verbose_name)


def _names(model, ids):
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def _shown(name, value, names):
    if value in (None, ""):
        return "—"
    if name == "status":
        return str(PtceStatus(value).label)
    if name in REFERENCES:
        return names.get(name, {}).get(value, str(value))
    if name == "last_verified":
        return value.strftime("%d/%m/%Y")
    return str(value)


def _list(ids, names):
    return ", ".join(sorted(names.get(pk, str(pk)) for pk in ids)) or "—"


COORDINATE_DECIMALS = 6  # as exported: about 0.1 m, finer is no change


def same_value(name, current, new):
    """Whether ``new`` leaves the field as it is (coordinates compared as exported)."""
    if name in ("latitude", "longitude") and current is not None and new is not None:
        return round(current, COORDINATE_DECIMALS) == round(new, COORDINATE_DECIMALS)
    return current == new


def describe(ptce, row, links):
    """``[(label, old, new)]`` of what ``row`` changes on ``ptce`` (not yet changed)."""
    from .ptce_import import row_values

    values = row_values(ptce, row)
    changed = {
        name: value
        for name, value in values.items()
        if not same_value(name, getattr(ptce, name), value)
    }
    names = {
        name: _names(model, {changed[name], getattr(ptce, name)} - {None})
        for name, model in REFERENCES.items()
        if name in changed
    }
    changes = [
        (_label(name), _shown(name, getattr(ptce, name), names), _shown(name, value, names))
        for name, value in changed.items()
    ]
    for key, ids, model, label in (
        ("themes", row.theme_ids, Theme, "themes"),
        ("territories", row.action_territory_ids, Territory, "action_territories"),
    ):
        if ids is not None and set(ids) != links[key]:
            shown = _names(model, set(ids) | links[key])
            changes.append((_label(label), _list(links[key], shown), _list(ids, shown)))
    return changes


def duplicates_of(planned):
    """Set ``duplicates`` on the planned creations (the first ``MAX_DUPLICATE_CHECKS``)."""
    for item in planned[:MAX_DUPLICATE_CHECKS]:
        item.duplicates = list(
            Ptce.objects.possible_duplicates(item.row.name, item.row.departement_id).only(
                "pk", "name", "slug", "departement_id"
            )
        )
