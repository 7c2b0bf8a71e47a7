"""The moderation queue of the public's suggestions: the open ones of the curator's scope
(by the département of the PTCE, or the proposed one), what each would change (field,
current value, proposed value), and three actions: accept, accept then edit the PTCE, decline
with a reason. Accepting writes through the ORM (``suggestions.services``): the directory's
signals move the public-data version and the PTCE's admin history records it; a new PTCE is
created in review, never published. Rights come from ``backoffice.permissions``."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suggestions import services
from suggestions.models import Suggestion, SuggestionKind, SuggestionStatus

from .. import permissions
from .scoping import scope


def may_process(current, suggestion):
    """A suggestion is processed by the curators who may hold a PTCE of its département
    (and, for a correction, change that PTCE)."""
    if not permissions.may_place_ptce(current, suggestion.departement_id):
        return False
    if suggestion.kind == SuggestionKind.CORRECTION:
        return permissions.may_change_ptce(current, suggestion.ptce)
    return True


def in_scope(current, queryset):
    if current.is_national:
        return queryset
    if current.is_regional:
        return queryset.filter(departement_id__in=current.departement_ids)
    return queryset.none()


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif du refus (envoyé à la personne si elle a laissé son courriel)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatusFilter(admin.SimpleListFilter):
    """Open suggestions first: the queue shows them unless another status is asked for."""

    title = gettext_lazy("statut")
    parameter_name = "statut"

    def lookups(self, request, model_admin):
        return [*SuggestionStatus.choices, ("all", gettext_lazy("Toutes"))]

    def choices(self, changelist):
        current = self.value() or SuggestionStatus.OPEN
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or SuggestionStatus.OPEN
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "subject_name", "departement", "status"]
    list_display_links = ["created_at", "subject_name"]
    list_filter = [StatusFilter, "kind"]
    list_select_related = ["ptce", "departement"]
    search_fields = ["ptce__name", "proposer_email"]

    @admin.display(description=gettext_lazy("sujet"))
    def subject_name(self, obj):
        return obj.subject

    # --- rights: curators see the suggestions of their scope (they hold personal data) ---
    def has_module_permission(self, request):
        return scope(request).can_edit_anything

    def has_view_permission(self, request, obj=None):
        current = scope(request)
        if obj is None:
            return current.can_edit_anything
        return in_scope(current, Suggestion.objects.filter(pk=obj.pk)).exists()

    def has_add_permission(self, request):
        return False  # suggestions come from the public pages

    def has_change_permission(self, request, obj=None):
        current = scope(request)
        return current.can_edit_anything if obj is None else may_process(current, obj)

    def has_delete_permission(self, request, obj=None):
        return permissions.may_change_shared(scope(request))

    def get_queryset(self, request):
        return in_scope(scope(request), super().get_queryset(request))

    # --- the review page and its actions ------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/accepter/", wrap(self.accept_view), name="suggestions_accept"),
            path("<int:pk>/refuser/", wrap(self.decline_view), name="suggestions_decline"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        suggestion = get_object_or_404(
            self.get_queryset(request).select_related("ptce", "processed_by"), pk=object_id
        )
        return self._review(request, suggestion, DeclineForm())

    def _review(self, request, suggestion, decline_form, status=200):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(suggestion),
            "suggestion": suggestion,
            "changes": services.changes_of(suggestion),
            "may_process": suggestion.is_open and may_process(scope(request), suggestion),
            "decline_form": decline_form,
            "ptce_admin_url": _ptce_admin_url(suggestion.ptce),
        }
        return TemplateResponse(request, "admin/suggestions/review.html", context, status=status)

    def _processable(self, request, pk):
        suggestion = get_object_or_404(Suggestion.objects.select_related("ptce"), pk=pk)
        if not may_process(scope(request), suggestion):
            raise PermissionDenied(_("Cette suggestion n'est pas de votre ressort."))
        return suggestion

    def _review_url(self, suggestion):
        return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])

    @staticmethod
    def _checker(request):
        current = scope(request)

        def check(ptce):
            if not permissions.may_place_ptce(current, ptce.departement_id):
                raise services.SuggestionError(
                    _("Le département %(name)s n'est pas de votre ressort.")
                    % {"name": ptce.departement}
                )

        return check

    def accept_view(self, request, pk):
        return require_POST(self._accept)(request, pk)

    def _accept(self, request, pk):
        suggestion = self._processable(request, pk)
        try:
            ptce, labels, created = services.accept(
                suggestion, request.user, check=self._checker(request)
            )
        except services.SuggestionError as error:
            messages.error(request, str(error))
            return redirect(self._review_url(suggestion))
        history = _("Suggestion n°%(pk)s acceptée : %(fields)s.") % {
            "pk": suggestion.pk,
            "fields": ", ".join(labels) or _("aucun champ"),
        }
        if created:
            self.log_addition(request, ptce, history)
        else:
            self.log_change(request, ptce, history)
        messages.success(request, history)
        if "_edit" in request.POST:
            return redirect(_ptce_admin_url(ptce))
        return redirect("admin:suggestions_suggestion_changelist")

    def decline_view(self, request, pk):
        return require_POST(self._decline)(request, pk)

    def _decline(self, request, pk):
        suggestion = self._processable(request, pk)
        form = DeclineForm(request.POST)
        if not form.is_valid():
            return self._review(request, suggestion, form, status=400)
        try:
            services.decline(suggestion, request.user, form.cleaned_data["reason"])
        except services.SuggestionError as error:
            messages.error(request, str(error))
            return redirect(self._review_url(suggestion))
        messages.success(request, _("Suggestion n°%(pk)s refusée.") % {"pk": suggestion.pk})
        return redirect("admin:suggestions_suggestion_changelist")


def _ptce_admin_url(ptce):
    if ptce is None:
        return ""
    return reverse("admin:directory_ptce_change", args=[ptce.pk])
