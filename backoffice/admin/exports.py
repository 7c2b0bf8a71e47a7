"""Exports of the PTCE admin, in the import format (``directory.services.ptce_export``):
the actions « Exporter la sélection (CSV) » and « (Excel) », and the export of the current
filter (every page of the filtered list: ``…/directory/ptce/export.csv?<the list's query
string>``, linked from the list by ``admin/directory/ptce/change_list.html``).

A curator exports what it may curate (``permissions.ptces_exportable``): published PTCEs,
and the others only in its scope. An export that would hold a draft (or a PTCE in review,
or archived) out of the user's scope is refused as a whole (403, a page naming them):
nothing is sent.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy, ngettext

from directory.services import ptce_export

from .. import permissions

EXTENSIONS = ("csv", "xlsx")
SHOWN_REFUSED = 5


def refused_ptces(request, queryset):
    """The PTCEs of ``queryset`` the user may not export (at most ``SHOWN_REFUSED`` + 1)."""
    scope = permissions.scope_of(request.user)
    allowed = permissions.ptces_exportable(scope, queryset)
    return list(
        queryset.exclude(pk__in=allowed.values("pk")).order_by("name", "pk")[: SHOWN_REFUSED + 1]
    )


def refusal(modeladmin, request, refused, back_url):
    """A 403 page naming the PTCEs that made the export refused, with the way back."""
    names = ", ".join(f"« {p.name} »" for p in refused[:SHOWN_REFUSED])
    if len(refused) > SHOWN_REFUSED:
        names += ", …"
    message = ngettext(
        "Rien n'a été exporté : la fiche non publiée %(names)s n'est pas de votre ressort. "
        "Filtrez par statut « Publié » ou sur les fiches de votre ressort.",
        "Rien n'a été exporté : les fiches non publiées %(names)s ne sont pas de votre "
        "ressort. Filtrez par statut « Publié » ou sur les fiches de votre ressort.",
        len(refused),
    ) % {"names": names}
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": gettext("Export refusé"),
        "message": message,
        "back_url": back_url,
    }
    return TemplateResponse(
        request, "admin/directory/ptce/export_refused.html", context, status=403
    )


def export_response(modeladmin, request, queryset, extension, back_url=None):
    """The file, or a 403 page saying why when the export is refused (nothing is sent)."""
    refused = refused_ptces(request, queryset)
    if refused:
        return refusal(modeladmin, request, refused, back_url or request.get_full_path())
    name = ptce_export.filename(extension, prefix="ptce-admin")
    if extension == "csv":
        response = StreamingHttpResponse(
            ptce_export.csv_chunks(queryset), content_type=ptce_export.CONTENT_TYPES["csv"]
        )
    else:
        content = ptce_export.xlsx_content(queryset)
        response_class = HttpResponse if isinstance(content, bytes) else FileResponse
        response = response_class(content, content_type=ptce_export.CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@admin.action(description=gettext_lazy("Exporter la sélection (CSV)"))
def export_selection_csv(modeladmin, request, queryset):
    return export_response(modeladmin, request, queryset, "csv")


@admin.action(description=gettext_lazy("Exporter la sélection (Excel)"))
def export_selection_xlsx(modeladmin, request, queryset):
    return export_response(modeladmin, request, queryset, "xlsx")


class PtceExportMixin:
    """Adds the two actions and the export of the current filter to the PTCE admin."""

    export_actions = [export_selection_csv, export_selection_xlsx]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_view_permission(request):
            for action in self.export_actions:
                function, name, description = self.get_action(action)
                actions[name] = (function, name, description)
        return actions

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export.<str:extension>",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, extension):
        """Every PTCE of the filtered list (all pages), as the list's query string selects."""
        if extension not in EXTENSIONS or not self.has_view_permission(request):
            raise Http404
        changelist_url = reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist"
        )
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(changelist_url + "?e=1")
        query = request.GET.urlencode()
        back_url = changelist_url + (f"?{query}" if query else "")
        return export_response(self, request, changelist.get_queryset(request), extension, back_url)
