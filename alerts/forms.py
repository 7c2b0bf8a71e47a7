"""The subscription form: an address, the territory (given by the page that links here, or
chosen among the régions and départements), an optional theme, and a honeypot (a field
hidden by CSS that people leave empty), as in ``suggestions.forms``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from collectivites.models import Territory, TerritoryKind
from collectivites.queries import departement_choices, region_choices
from directory.models import Theme

HONEYPOT = "url"


def territory_value(territory):
    return f"{territory.kind}-{territory.code}"


def parse_territory(value):
    """The territory named by ``"<kind>-<code>"`` (``region-84``, ``commune-03095``), or None."""
    kind, _sep, code = (value or "").strip().partition("-")
    code = code.upper()
    if kind not in TerritoryKind.values or not code.isalnum() or len(code) > 9:
        return None
    return Territory.objects.filter(kind=kind, code=code).first()


class SubscriptionForm(forms.Form):
    email = forms.EmailField(
        label=_("Votre courriel"),
        max_length=254,
        help_text=_("Seulement pour vous écrire ; jamais affiché, jamais transmis."),
    )
    territoire = forms.ChoiceField(
        label=_("Territoire"),
        error_messages={
            "required": _("Choisissez un territoire."),
            "invalid_choice": _("Choisissez un territoire."),
        },
    )
    theme = forms.ChoiceField(label=_("Thématique (facultatif)"), required=False)
    url = forms.CharField(
        label=_("Laissez ce champ vide"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, preset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.preset = preset
        if preset is not None:
            value = territory_value(preset)
            self.fields["territoire"].choices = [(value, preset.name)]
            self.fields["territoire"].initial = value
            self.fields["territoire"].widget = forms.HiddenInput()
        else:
            regions = [(f"region-{code}", name) for code, name in region_choices()]
            departements = [(f"departement-{code}", label) for code, label in departement_choices()]
            self.fields["territoire"].choices = [
                ("", "—"),
                (_("Régions"), regions),
                (_("Départements"), departements),
            ]
        self.fields["theme"].choices = [
            ("", _("Toutes les thématiques")),
            *Theme.objects.values_list("slug", "name"),
        ]

    def clean_url(self):
        if self.cleaned_data.get(HONEYPOT):
            raise forms.ValidationError(
                _("Envoi refusé : un champ qui doit rester vide a été rempli.")
            )
        return ""

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_territoire(self):
        territory = parse_territory(self.cleaned_data["territoire"])
        if territory is None:
            raise forms.ValidationError(_("Choisissez un territoire."))
        return territory

    def clean_theme(self):
        slug = self.cleaned_data.get("theme")
        return Theme.objects.filter(slug=slug).first() if slug else None
