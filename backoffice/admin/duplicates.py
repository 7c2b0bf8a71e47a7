"""The PTCE creation form warns of possible duplicates (``Ptce.objects.possible_duplicates``:
same département, a similar name) with a link to each, and saves once the curator ticks
« Ce n'est pas un doublon »: a warning, never a refusal."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import Ptce, commune_departement

FIELD = "not_duplicate"
MAX_SHOWN = 10


def duplicate_checked(form_class):
    """``form_class`` with the « Ce n'est pas un doublon » box and the check (creation)."""

    class DuplicateCheckedForm(form_class):
        not_duplicate = forms.BooleanField(
            label=gettext_lazy("Ce n'est pas un doublon"),
            required=False,
            help_text=gettext_lazy(
                "À cocher quand un PTCE au nom proche existe déjà dans le département et que "
                "vous avez vérifié qu'il s'agit d'un autre."
            ),
        )

        def clean(self):
            cleaned = super().clean()
            if self.instance.pk is None and not cleaned.get(FIELD):
                found = possible_duplicates(cleaned)
                if found:
                    raise ValidationError(warning(found), code="possible_duplicate")
            return cleaned

    DuplicateCheckedForm.__name__ = form_class.__name__
    return DuplicateCheckedForm


def possible_duplicates(cleaned):
    name = cleaned.get("name")
    commune = cleaned.get("seat_commune")
    departement = commune_departement(commune) if commune else cleaned.get("departement")
    if not name or departement is None:
        return []
    return list(Ptce.objects.possible_duplicates(name, departement)[:MAX_SHOWN])


def warning(found):
    links = format_html_join(
        ", ",
        '<a href="{}" class="possible-duplicate">{}</a>',
        ((reverse("admin:directory_ptce_change", args=[p.pk]), p.name) for p in found),
    )
    return format_html(
        "{} {}. {}",
        _("Doublon possible : un PTCE au nom proche existe déjà dans ce département :"),
        links,
        _("Vérifiez, puis cochez « Ce n'est pas un doublon » pour enregistrer quand même."),
    )
