"""Processing a suggestion: accept it (its values written on the PTCE through the ORM, so the
directory's signals refresh the search columns and move the public-data version when the
public sees the PTCE; a new PTCE is created in review, never published) or decline it with a
reason. Who may do it is the back-office's business (``backoffice/admin/suggestions.py``)."""

import itertools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from collectivites.models import Territory, TerritoryKind
from directory.models import Ptce, PtceStatus, Theme, commune_departement

from . import mail
from .fields import FIELDS, REFERENCE_MODELS, current_values, differences
from .models import Suggestion, SuggestionKind, SuggestionStatus

# Not written by a suggestion (the search columns are maintained by the directory's signals).
UNCHECKED = ["logo", "search_name", "search_document", "search_text", "search_vector"]


class SuggestionError(Exception):
    """The suggestion cannot be applied (the message says why); nothing was written."""


def changes_of(suggestion):
    """``[(field, current shown, proposed shown)]``: what accepting would change."""
    correction = suggestion.kind == SuggestionKind.CORRECTION
    current = current_values(suggestion.ptce) if correction else {}
    return differences(suggestion.values, current)


def accept(suggestion, user, check=None):
    """Apply ``suggestion``; ``check(ptce)`` may raise ``SuggestionError`` before anything
    is saved (the curator's scope). Returns ``(ptce, labels of the changed fields, created)``."""
    with transaction.atomic():
        suggestion = _lock_open(suggestion)
        created = suggestion.kind == SuggestionKind.NEW
        if created:
            ptce = Ptce(
                status=PtceStatus.REVIEW,
                source=_("Proposition du public (suggestion n°%(pk)s du %(date)s)")
                % {"pk": suggestion.pk, "date": suggestion.created_at.date().isoformat()},
            )
        else:
            ptce = Ptce.objects.select_related("seat_commune", "departement").get(
                pk=suggestion.ptce_id
            )
        labels = [str(field.label) for field, _old, _new in changes_of(suggestion)]
        theme_ids = _write(ptce, suggestion.values)
        if created:
            ptce.slug = _unique_slug(ptce)
        try:
            ptce.full_clean(exclude=UNCHECKED)
        except ValidationError as error:
            raise SuggestionError(" ".join(_messages(error))) from error
        if check is not None:
            check(ptce)
        # Read by django-simple-history when the PTCE's history is kept (who, and why).
        ptce._history_user = user
        ptce._change_reason = _("Suggestion n°%(pk)s acceptée") % {"pk": suggestion.pk}
        ptce.save()
        if theme_ids is not None:
            ptce.themes.set(theme_ids)
        _close(suggestion, user, SuggestionStatus.ACCEPTED, ptce=ptce)
    return ptce, labels, created


def decline(suggestion, user, reason):
    reason = (reason or "").strip()
    if not reason:
        raise SuggestionError(_("Indiquez le motif du refus."))
    with transaction.atomic():
        suggestion = _lock_open(suggestion)
        suggestion.decline_reason = reason
        _close(suggestion, user, SuggestionStatus.DECLINED)
    return suggestion


def _lock_open(suggestion):
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not locked.is_open:
        raise SuggestionError(_("Cette suggestion a déjà été traitée."))
    return locked


def _close(suggestion, user, status, ptce=None):
    suggestion.status = status
    suggestion.processed_by = user
    suggestion.processed_at = timezone.now()
    if ptce is not None:
        suggestion.ptce = ptce
    suggestion.save()
    transaction.on_commit(lambda: mail.notify_proposer(suggestion))


def _write(ptce, values):
    """Set the proposed values on ``ptce`` (not saved); returns the theme ids to set, or
    None when the themes stay."""
    theme_ids = None
    for field in FIELDS:
        value = values.get(field.key)
        if value in ("", None, []):
            continue
        if field.kind == "themes":
            theme_ids = list(Theme.objects.filter(slug__in=value).values_list("pk", flat=True))
        elif field.kind == "commune":
            commune = _territory(TerritoryKind.COMMUNE, value)
            if commune.pk != ptce.seat_commune_id:
                ptce.seat_commune = commune
                ptce.latitude = ptce.longitude = None  # the new town hall (Ptce.save)
            ptce.departement = commune_departement(commune)
        elif field.kind == "departement":
            if not values.get("commune_insee"):
                ptce.departement = _territory(TerritoryKind.DEPARTEMENT, value)
        elif field.kind in REFERENCE_MODELS:
            found = REFERENCE_MODELS[field.kind].objects.filter(slug=value).first()
            if found is None:
                raise SuggestionError(_("« %(value)s » n'existe plus.") % {"value": value})
            setattr(ptce, field.attribute, found)
        else:
            setattr(ptce, field.attribute, value)
    return theme_ids


def _territory(kind, code):
    found = Territory.objects.filter(kind=kind, code=code).first()
    if found is None:
        raise SuggestionError(_("Le code %(code)s n'existe plus.") % {"code": code})
    return found


def _unique_slug(ptce):
    base = slugify(ptce.name)[:200] or "ptce"
    code = ptce.departement.code.lower()
    candidates = itertools.chain(
        [base, f"{base}-{code}"], (f"{base}-{code}-{n}" for n in itertools.count(2))
    )
    return next(c for c in candidates if not Ptce.objects.filter(slug=c).exists())


def _messages(error):
    if hasattr(error, "message_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)
