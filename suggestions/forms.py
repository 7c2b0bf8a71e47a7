"""The public form: a new PTCE or a correction, in the import format's fields, with a size
limit on every field and a honeypot (a field hidden by CSS that people leave empty)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from collectivites.models import Territory, TerritoryKind
from directory.models import LegalForm, Stage, Theme, commune_departement

HONEYPOT = "url"
MAX_TEXT = 5000
MAX_MESSAGE = 2000


def _choices(model):
    return [("", "—"), *model.objects.values_list("slug", "name")]


class SuggestionForm(forms.Form):
    nom = forms.CharField(label=_("Nom du PTCE"), max_length=200)
    commune_insee = forms.CharField(
        label=_("Code INSEE de la commune du siège"),
        max_length=5,
        required=False,
        help_text=_("Par exemple 03095 pour Cusset."),
    )
    departement = forms.CharField(
        label=_("Département (code)"),
        max_length=3,
        required=False,
        help_text=_("À défaut de commune : par exemple 03 pour l'Allier."),
    )
    thematiques = forms.MultipleChoiceField(
        label=_("Thématiques"), required=False, widget=forms.CheckboxSelectMultiple
    )
    resume = forms.CharField(label=_("Résumé"), max_length=400, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=MAX_TEXT, required=False, widget=forms.Textarea
    )
    structure_porteuse = forms.CharField(
        label=_("Structure porteuse"), max_length=200, required=False
    )
    annee_creation = forms.IntegerField(
        label=_("Année de création"), min_value=1900, max_value=2100, required=False
    )
    stade = forms.ChoiceField(label=_("Stade"), required=False)
    forme_juridique = forms.ChoiceField(label=_("Forme juridique"), required=False)
    site_web = forms.URLField(
        label=_("Site web"), max_length=300, required=False, assume_scheme="https"
    )
    courriel = forms.EmailField(
        label=_("Courriel de la structure"),
        max_length=254,
        required=False,
        help_text=_("L'adresse publique de la structure, jamais celle d'une personne."),
    )
    telephone = forms.CharField(label=_("Téléphone de la structure"), max_length=30, required=False)
    message = forms.CharField(
        label=_("Message à l'équipe"),
        max_length=MAX_MESSAGE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vos sources, ce qui a changé… (non publié)."),
    )
    proposer_name = forms.CharField(label=_("Votre nom"), max_length=100, required=False)
    proposer_email = forms.EmailField(
        label=_("Votre courriel"),
        max_length=254,
        required=False,
        help_text=_("Facultatif : pour vous dire ce que devient votre proposition."),
    )
    url = forms.CharField(
        label=_("Laissez ce champ vide"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    main_fields = ["nom", "commune_insee", "departement", "thematiques", "resume", "description"]
    detail_fields = [
        "structure_porteuse",
        "annee_creation",
        "stade",
        "forme_juridique",
        "site_web",
        "courriel",
        "telephone",
    ]
    proposer_fields = ["message", "proposer_name", "proposer_email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thematiques"].choices = list(Theme.objects.values_list("slug", "name"))
        self.fields["stade"].choices = _choices(Stage)
        self.fields["forme_juridique"].choices = _choices(LegalForm)
        self.departement_territory = None

    def group(self, names):
        return [self[name] for name in names]

    def main(self):
        return self.group(self.main_fields)

    def details(self):
        return self.group(self.detail_fields)

    def proposer(self):
        return self.group(self.proposer_fields)

    def clean_url(self):
        if self.cleaned_data.get(HONEYPOT):
            raise forms.ValidationError(
                _("Envoi refusé : un champ qui doit rester vide a été rempli.")
            )
        return ""

    def clean(self):
        cleaned = super().clean()
        commune_code = (cleaned.get("commune_insee") or "").strip().upper()
        departement_code = (cleaned.get("departement") or "").strip().upper()
        commune = departement = None
        if commune_code:
            communes = Territory.objects.filter(kind=TerritoryKind.COMMUNE)
            commune = communes.filter(code=commune_code).first()
            if commune is None:
                self.add_error("commune_insee", _("Aucune commune n'a ce code INSEE."))
        if departement_code:
            departement = Territory.objects.filter(
                kind=TerritoryKind.DEPARTEMENT, code=departement_code
            ).first()
            if departement is None:
                self.add_error("departement", _("Aucun département n'a ce code."))
        if commune is not None:
            seat = commune_departement(commune)
            if departement is not None and departement.pk != seat.pk:
                self.add_error(
                    "departement",
                    _("La commune %(name)s est dans le département %(code)s.")
                    % {"name": commune.name, "code": seat.code},
                )
            departement, departement_code = seat, seat.code
        if not commune_code and not departement_code:
            self.add_error("commune_insee", _("Indiquez la commune ou, à défaut, le département."))
        cleaned["commune_insee"], cleaned["departement"] = commune_code, departement_code
        self.departement_territory = departement
        return cleaned

    def proposed_values(self):
        """The import-format values given (empty ones left out: they change nothing)."""
        values = {}
        for name in self.main_fields + self.detail_fields:
            value = self.cleaned_data.get(name)
            if value not in ("", None, []):
                values[name] = sorted(value) if name == "thematiques" else value
        return values
