"""The home of the back-office: what awaits the user in its scope (PTCEs to review, PTCEs
never or long ago verified, open suggestions), each with a count and a link to the filtered
list."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from directory.models import Experience, Ptce, PtceStatus, Support

from . import permissions
from .freshness import FRESHNESS_PARAMETER, SCOPE_PARAMETER, STALE, stale_q


@dataclass(frozen=True)
class Task:
    label: str
    count: int
    url: str


def _changelist(name, args=None, **parameters):
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(parameters)}" if parameters else url


def curation_tasks(user):
    """The tasks shown on the admin home for ``user``; none for a role that changes nothing."""
    scope = permissions.scope_of(user)
    if not scope.can_edit_anything:
        return []
    ptces = permissions.ptces_in_scope(scope, Ptce.objects.all())
    in_scope = {} if scope.is_national else {SCOPE_PARAMETER: "mine"}
    changelist = "admin:directory_ptce_changelist"
    tasks = [
        Task(
            _("Fiches à relire"),
            ptces.filter(status=PtceStatus.REVIEW).count(),
            _changelist(changelist, **in_scope, status__exact=PtceStatus.REVIEW.value),
        ),
        Task(
            _("Fiches jamais vérifiées ou vérifiées il y a plus de 12 mois"),
            ptces.filter(stale_q()).count(),
            _changelist(changelist, **in_scope, **{FRESHNESS_PARAMETER: STALE}),
        ),
    ]
    for model, label in (
        (Support, _("Soutiens à relire")),
        (Experience, _("Retours d'expérience à relire")),
    ):
        entries = permissions.entries_in_scope(scope, model.objects.all())
        tasks.append(
            Task(
                label,
                entries.filter(status=PtceStatus.REVIEW).count(),
                _changelist(
                    f"admin:directory_{model._meta.model_name}_changelist",
                    **in_scope,
                    status__exact=PtceStatus.REVIEW.value,
                ),
            )
        )
    suggestions = open_suggestions(scope)
    if suggestions is not None:
        tasks.append(suggestions)
    return tasks


@dataclass(frozen=True)
class Entry:
    kind: str
    label: str
    status: str
    url: str


def contributor_entries(user):
    """« Ma collectivité »: a contributor's supports and experiences with their statuses,
    each linking to its form; None for another role."""
    scope = permissions.scope_of(user)
    if not scope.is_contributor:
        return None
    entries = []
    supports = Support.objects.filter(collectivite_id=scope.collectivite_id).select_related(
        "collectivite", "ptce", "support_type"
    )
    experiences = Experience.objects.filter(collectivite_id=scope.collectivite_id)
    for kind, rows in ((_("Soutien"), supports), (_("Retour d'expérience"), experiences)):
        for entry in rows:
            entries.append(
                Entry(
                    str(kind),
                    str(entry),
                    entry.get_status_display(),
                    _changelist(
                        f"admin:directory_{entry._meta.model_name}_change", args=[entry.pk]
                    ),
                )
            )
    return entries


def open_suggestions(scope):
    """« Suggestions ouvertes » of the scope (by their département), when the ``suggestions``
    app and its model exist; their list shows the open ones unless asked otherwise."""
    if not apps.is_installed("suggestions"):
        return None
    try:
        model = apps.get_model("suggestions", "Suggestion")
    except LookupError:
        return None
    fields = {field.name for field in model._meta.get_fields()}
    if "status" not in fields:
        return None
    suggestions = model.objects.filter(status="open")
    if not scope.is_national:
        if "departement" not in fields:
            return None
        suggestions = suggestions.filter(departement_id__in=scope.departement_ids)
    return Task(
        _("Suggestions ouvertes"),
        suggestions.count(),
        _changelist("admin:suggestions_suggestion_changelist"),
    )
