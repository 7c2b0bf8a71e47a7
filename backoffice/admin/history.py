"""History of changes in the back-office (django-simple-history): who changed what, when,
each field's old and new value, and a revert ("revert to this version") that the roles of
``backoffice.permissions`` decide like any change, on the object as it is now."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

HISTORY_LIST_TEMPLATE = "admin/history/object_history_list.html"


class RevertState:
    """A revert being shown or posted: the object as it is now, the chosen version, and
    whether the user may change the object (decided on the current object)."""

    def __init__(self, current, record, allowed):
        self.current = current
        self.record = record
        self.allowed = allowed


def revert_state(request):
    return getattr(request, "_history_revert", None)


def m2m_initial(record):
    """The many-to-many values of a historical ``record`` (the form would otherwise show the
    current ones)."""
    initial = {}
    for field in record._history_m2m_fields:
        target = get_m2m_reverse_field_name(field)
        rows = getattr(record, field.name).values_list(f"{target}_id", flat=True)
        initial[field.name] = list(rows)
    return initial


class RoleHistoryAdmin(SimpleHistoryAdmin):
    """``SimpleHistoryAdmin`` whose revert asks the ModelAdmin's ``has_change_permission``
    about the current object (simple-history only asks for the view right on POST)."""

    object_history_list_template = HISTORY_LIST_TEMPLATE

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.get_object(request, unquote(object_id))
        if current is None:
            raise Http404
        history_model = self.model.history.model
        record = history_model.objects.filter(pk=version_id, id=current.pk).first()
        if record is None:
            raise Http404
        allowed = self.has_change_permission(request, current)
        if request.method == "POST" and not allowed:
            raise PermissionDenied
        request._history_revert = RevertState(current, record, allowed)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ContextHelper(self.model, historical_record)

    def revert_disabled(self, request, obj=None):
        state = revert_state(request)
        if state is not None:
            return not state.allowed
        return super().revert_disabled(request, obj)

    def checked_object(self, request, obj):
        """The object that scope and status checks compare with: when reverting, the
        current one, not the old version."""
        state = revert_state(request)
        return state.current if state is not None else obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        state = revert_state(request)
        if state is None:
            return form_class
        initial = m2m_initial(state.record)

        class RevertForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial.update({k: v for k, v in initial.items() if k in self.fields})

        RevertForm.__name__ = form_class.__name__
        return RevertForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        state = revert_state(request)
        if state is not None:
            self.restore_related(request, obj, state.record)

    def restore_related(self, request, obj, record):
        """Brings back what a version of ``obj`` had besides its own fields (nothing by
        default)."""


class ContextHelper(HistoricalRecordContextHelper):
    """Choices by their label (« Brouillon », not ``draft``), lists as « A, B », empty values
    as a dash."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if isinstance(value, list):
            return ", ".join(str(item) for item in value) or "—"
        if field.choices and value is not None:
            return dict(field.flatchoices).get(value, value)
        return "—" if value in (None, "") else value


def child_history(model, fk_name, parent_pk, limit=100):
    """The latest versions of the ``model`` rows of a parent (a PTCE's members), each with
    ``history_delta_changes`` (field, old and new value) against its previous version."""
    records = list(
        model.history.filter(**{f"{fk_name}_id": parent_pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    for record in records:
        previous = record.prev_record
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=True)
            helper = ContextHelper(model, record)
            record.history_delta_changes = helper.context_for_delta_changes(delta)
    return records


def restore_children(model, fk_name, parent, until, user):
    """Brings the ``model`` rows of ``parent`` back to what they were just before ``until``:
    rows changed since are restored, rows deleted since recreated, rows added since deleted.
    Each write is a new version by ``user``."""
    then = {}
    records = model.history.filter(**{f"{fk_name}_id": parent.pk, "history_date__lt": until})
    for record in records.order_by("history_date", "history_id"):
        then[record.id] = record
    now = {row.pk: row for row in model.objects.filter(**{fk_name: parent})}
    names = [field.attname for field in model._meta.concrete_fields]
    for pk, row in now.items():
        if pk not in then or then[pk].history_type == "-":
            row._history_user = user
            row.delete()
    for pk, record in then.items():
        if record.history_type == "-":
            continue
        old = record.instance
        row = now.get(pk)
        if row is None or any(getattr(row, name) != getattr(old, name) for name in names):
            old._history_user = user
            old.save()
