"""The PTCE change form of the admin, with a point picker for the coordinates: a Leaflet map
above the latitude/longitude fields (``static/js/admin-point-picker.js``). Plain Leaflet on
plain float fields: django-leaflet's widgets need GDAL and geometry fields.

The logo is judged by its content and re-encoded (``core.images.CleanImageField``: PNG,
JPEG or WebP, 2 MB and 16 megapixels at most), then stored under a fresh name,
``logos/<slug>-<random>.<ext>``; ``directory/logo_files.py`` deletes the file it replaces.

Wired in ``backoffice/admin/directory.py`` with ``form = PtceAdminForm`` on ``PtceAdmin``."""

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget, AdminURLFieldWidget
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.images import CleanImageField, fresh_name

from .models import Ptce

POINT_URL_PLACEHOLDER = 0


class PtceAdminForm(forms.ModelForm):
    # Declared so that Django builds no URLField without ``assume_scheme`` (a deprecation
    # warning, an error under pytest); https is Django 6's default.
    website = forms.URLField(
        label=Ptce._meta.get_field("website").verbose_name.capitalize(),
        max_length=Ptce._meta.get_field("website").max_length,
        required=False,
        assume_scheme="https",
        widget=AdminURLFieldWidget,
    )
    logo = CleanImageField(
        label=Ptce._meta.get_field("logo").verbose_name.capitalize(),
        required=False,
        widget=AdminFileWidget,
        help_text=gettext_lazy("PNG, JPEG ou WebP, 2 Mo et 16 mégapixels au plus."),
    )

    class Meta:
        model = Ptce
        # Those of PtceAdmin's fieldsets (the admin passes its own list anyway).
        fields = [
            "name",
            "slug",
            "status",
            "summary",
            "description",
            "seat_commune",
            "departement",
            "latitude",
            "longitude",
            "action_territories",
            "themes",
            "stage",
            "legal_form",
            "carrying_structure",
            "year_founded",
            "charter_signed",
            "website",
            "email",
            "phone",
            "logo",
            "source",
            "last_verified",
        ]

    class Media:
        css = {"all": ["leaflet/leaflet.css", "css/admin-point-picker.css"]}
        js = ["leaflet/leaflet.js", "js/admin-point-picker.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "latitude" in self.fields:
            self.fields["latitude"].widget.attrs.update(picker_attributes())

    def clean_logo(self):
        """A new upload (re-encoded by the field) is named after the PTCE's slug."""
        logo = self.cleaned_data.get("logo")
        image_info = getattr(logo, "image_info", None)
        if image_info is not None:
            stem = self.cleaned_data.get("slug") or self.instance.slug or "logo"
            logo.name = fresh_name(stem, image_info.format)
        return logo


def picker_attributes():
    """What the picker script reads on the latitude field: tiles, the commune point URL
    (``/api/v1/communes/0/point.json``, 0 replaced by the commune's id) and its texts."""
    center = settings.LEAFLET_CONFIG.get("DEFAULT_CENTER", (46.6, 2.4))
    return {
        "data-point-picker": "latitude",
        "data-tiles-url": settings.MAP_TILES_URL,
        "data-tiles-attribution": settings.MAP_TILES_ATTRIBUTION,
        "data-default-center": f"{center[0]},{center[1]}",
        "data-default-zoom": str(settings.LEAFLET_CONFIG.get("DEFAULT_ZOOM", 5)),
        "data-commune-point-url": reverse(
            "api:commune-point", kwargs={"pk": POINT_URL_PLACEHOLDER}
        ),
        "data-label-map": _(
            "Carte de la position du PTCE : cliquez ou déplacez le marqueur pour remplir "
            "la latitude et la longitude"
        ),
        "data-label-center": _("Centrer sur la commune"),
        "data-label-no-commune": _("Choisissez d'abord la commune du siège."),
        "data-label-centered": _("Marqueur placé sur la mairie (%(name)s)."),
        "data-label-failed": _("Position de la mairie introuvable."),
        "data-label-marker": _("Position du PTCE (déplaçable)"),
    }
