"""« Importer un tableur » on the PTCE list: upload a CSV or an Excel .xlsx file in the import
format, see a preview (creations with their possible duplicates, updates field by field, each
row's errors), then confirm. The service is the command line's
(``directory.services.ptce_import``); the back-office adds the curator's rules
(``permissions.import_row_problems``: scope, status transitions) as row errors, and writes
through the ORM so that each PTCE gets a version by the curator (django-simple-history) and an
entry in the admin's log. The upload is kept server-side (``SpreadsheetUpload``, one per
account) and validated again on confirmation; nothing is written unless the whole file is
valid, in one transaction."""

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.services.ptce_import import CsvFormatError, import_ptce_csv
from directory.services.ptce_rows import MAX_FILE_BYTES, RowError, check_size

from .. import permissions
from ..models import SpreadsheetUpload
from .scoping import scope

# Rows written one by one through the ORM (history with themes and territories, signals)
# must fit in an admin request (``REQUEST_DEADLINE_ADMIN_SECONDS``, 25 s): 500 rows took 65 s
# on a busy 2-core machine (SQLite), about 0.13 s a row. Larger files go through
# ``manage.py import_ptce`` (bulk, no history).
MAX_ADMIN_ROWS = 100
ACCEPTED = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV ou Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
        help_text=gettext_lazy(
            "Au format d'import (voir la documentation) : une ligne d'en-tête, une ligne par "
            "PTCE, 10 Mo au plus. Rien n'est écrit avant votre confirmation."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)  # before reading it
        except CsvFormatError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class ConfirmForm(forms.Form):
    digest = forms.CharField(max_length=64, widget=forms.HiddenInput)


def row_checker(current_scope):
    """The curator's rules as row errors of the import service."""

    def check(row, ptce):
        problems = permissions.import_row_problems(
            current_scope, row.departement_id, ptce, row.values.get("status")
        )
        shown = {
            "nom": row.name,
            "departement": row.departement_code,
            "statut": row.values.get("status", ""),
        }
        return [RowError(row.line, column, shown[column], text) for column, text in problems]

    return check


class SpreadsheetImportMixin:
    """Adds the import pages to ``PtceAdmin`` (and its button to the list)."""

    change_list_template = "admin/directory/ptce/import_change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("importer/", wrap(self.import_view), name="directory_ptce_import"),
            path(
                "importer/confirmer/",
                wrap(self.import_confirm_view),
                name="directory_ptce_import_confirm",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        context = {"may_import": permissions.may_import_ptces(scope(request))}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def _importer_scope(self, request):
        current = scope(request)
        if not permissions.may_import_ptces(current):
            raise PermissionDenied(_("Votre rôle ne permet pas d'importer des PTCE."))
        return current

    def import_view(self, request):
        current = self._importer_scope(request)
        if request.method != "POST":
            return self._render(request, UploadForm())
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        upload = form.cleaned_data["file"]
        raw = upload.read(MAX_FILE_BYTES + 1)
        name = upload.name[:255]
        result, problem = self._run(raw, name, current, dry_run=True)
        if problem:
            form.add_error("file", problem)
            return self._render(request, form, status=400)
        stored = None
        if result.ok:
            stored, _created = SpreadsheetUpload.objects.update_or_create(
                user=request.user,
                defaults={"name": name, "content": raw, "digest": _digest(raw)},
            )
        return self._render(request, UploadForm(), result=result, name=name, stored=stored)

    def import_confirm_view(self, request):
        current = self._importer_scope(request)
        if request.method != "POST":
            return redirect("admin:directory_ptce_import")
        stored = SpreadsheetUpload.objects.filter(user=request.user).first()
        form = ConfirmForm(request.POST)
        if stored is None or not form.is_valid() or form.cleaned_data["digest"] != stored.digest:
            messages.error(
                request,
                _("Ce tableur n'est plus en attente d'import : envoyez-le de nouveau."),
            )
            return redirect("admin:directory_ptce_import")
        raw = bytes(stored.content)
        reason = _("Import du tableur « %(name)s »") % {"name": stored.name}
        try:
            with transaction.atomic():
                result, problem = self._run(
                    raw, stored.name, current, user=request.user, reason=reason
                )
                if result is not None and result.ok:
                    for ptce, created in result.written:
                        log = self.log_addition if created else self.log_change
                        log(request, ptce, reason)
                    stored.delete()
        except IntegrityError:
            # Someone created one of these PTCEs meanwhile: nothing was written.
            messages.error(
                request,
                _("Les fiches ont changé pendant l'import : rien n'a été écrit. Réessayez."),
            )
            return redirect("admin:directory_ptce_import")
        if problem or not result.ok:
            # The data or the rights changed since the preview: show why, nothing written.
            if problem:
                messages.error(request, problem)
            return self._render(request, UploadForm(), result=result, name=stored.name, status=400)
        messages.success(
            request,
            _("Import terminé : %(created)s PTCE créé(s), %(updated)s mis à jour.")
            % {"created": len(result.created), "updated": len(result.updated)},
        )
        return redirect("admin:directory_ptce_changelist")

    def _run(self, raw, name, current, **options):
        """``(result, None)`` or ``(None, message)`` when the file as a whole is refused."""
        try:
            result = import_ptce_csv(
                raw,
                name=name,
                check_row=row_checker(current),
                max_rows=MAX_ADMIN_ROWS,
                **options,
            )
        except CsvFormatError as error:
            return None, str(error)
        return result, None

    def _render(self, request, form, result=None, name="", stored=None, status=200):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Importer un tableur"),
            "form": form,
            "result": result,
            "file_name": name,
            "confirm_form": ConfirmForm(initial={"digest": stored.digest}) if stored else None,
            "creations": [p for p in result.plan if p.action == "create"] if result else [],
            "updates": [p for p in result.plan if p.action == "update"] if result else [],
        }
        return TemplateResponse(request, "admin/directory/ptce/import.html", context, status=status)


def _digest(raw):
    return hashlib.sha256(raw).hexdigest()
