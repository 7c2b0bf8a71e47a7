"""The portal's admin site (``PortalAdminConfig.default_site``): French titles, a home that
lists the curation tasks of the user's scope (``backoffice.dashboard``), and an autocomplete
whose results may carry a label of their own (``ModelAdmin.autocomplete_label``)."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .dashboard import contributor_entries, curation_tasks


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """A result's text is ``model_admin.autocomplete_label(obj)`` when the ModelAdmin of the
    searched model defines it (territories: « Région Bretagne »), ``str(obj)`` otherwise."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = str(label(obj))
        return result


class PortalAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form with its username length enforced, not only announced: an
    over-long username is a form error, never an attempt recorded by django-axes (whose
    column is 255 characters: PostgreSQL refused it, a 500)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length or 150))


class PortalAdminSite(admin.AdminSite):
    login_form = PortalAuthenticationForm
    site_header = _("Portail des PTCE — Espace contributeurs")
    site_title = _("Espace contributeurs du Portail des PTCE")
    index_title = _("Tableau de bord")

    def index(self, request, extra_context=None):
        context = {
            "curation_tasks": curation_tasks(request.user),
            "contributor_entries": contributor_entries(request.user),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)
