"""Themes, stages and legal forms with fixed slugs (editable in the admin afterwards)."""

from django.db import migrations

THEMES = [
    ("economie-circulaire", "Économie circulaire"),
    ("alimentation", "Alimentation"),
    ("habitat", "Habitat"),
    ("culture", "Culture"),
    ("insertion-emploi", "Insertion et emploi"),
    ("transition-energetique", "Transition énergétique"),
    ("mobilite", "Mobilité"),
    ("numerique", "Numérique"),
    ("tourisme", "Tourisme"),
    ("sante-social", "Santé et social"),
    ("entrepreneuriat", "Entrepreneuriat"),
    ("industrie-artisanat", "Industrie et artisanat"),
]

STAGES = [
    ("gestation", "Gestation", "Des acteurs se rencontrent et construisent un projet commun."),
    ("emergence", "Émergence", "Le pôle se structure et lance ses premières coopérations."),
    (
        "developpement",
        "Développement",
        "Le pôle mène ses premiers projets et cherche son modèle économique.",
    ),
    (
        "consolidation",
        "Consolidation",
        "Le pôle a stabilisé ses activités et son modèle économique.",
    ),
]

LEGAL_FORMS = [
    ("association", "Association"),
    ("scic", "SCIC (société coopérative d'intérêt collectif)"),
    ("scop", "SCOP (société coopérative et participative)"),
    ("sas", "SAS"),
    ("gie", "GIE (groupement d'intérêt économique)"),
    ("gip", "GIP (groupement d'intérêt public)"),
    ("groupement", "Groupement sans personnalité morale"),
    ("autre", "Autre"),
]


def create_reference_lists(apps, schema_editor):
    Theme = apps.get_model("directory", "Theme")
    Stage = apps.get_model("directory", "Stage")
    LegalForm = apps.get_model("directory", "LegalForm")
    for position, (slug, name) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    for position, (slug, name, description) in enumerate(STAGES, start=1):
        Stage.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    for position, (slug, name) in enumerate(LEGAL_FORMS, start=1):
        LegalForm.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(create_reference_lists, migrations.RunPython.noop)]
