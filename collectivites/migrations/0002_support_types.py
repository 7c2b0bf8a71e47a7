"""The eight ways a collectivité can support a PTCE, after the RTES/CRESS AuRA guide
"Collectivités & PTCE" (May 2022). Slugs are fixed; titles and texts are editable in the admin."""

from django.db import migrations

SUPPORT_TYPES = [
    (
        "reperage-mise-en-lien",
        "Repérage et mise en lien des acteurs",
        "Repérage et mise en lien",
        "Identifier les acteurs du territoire, les faire se rencontrer et partager avec eux la "
        "lecture des besoins du territoire et des orientations de la collectivité.",
    ),
    (
        "fonctionnement-animation",
        "Financement du fonctionnement et de l'animation",
        "Fonctionnement et animation",
        "Financer dans la durée l'animation du pôle, fonction essentielle et difficile à "
        "financer, par exemple au moyen d'une convention pluriannuelle d'objectifs.",
    ),
    (
        "investissement",
        "Aide à l'investissement",
        "Investissement",
        "Cofinancer le matériel mutualisé, les locaux ou les autres investissements du pôle.",
    ),
    (
        "conseil-ingenierie",
        "Conseil et ingénierie",
        "Conseil et ingénierie",
        "Accompagner le pôle sur les volets techniques et administratifs avec les compétences "
        "de la collectivité ; l'échange vaut dans les deux sens, le PTCE apportant aussi son "
        "ingénierie de coopération.",
    ),
    (
        "foncier-locaux",
        "Accès au foncier et aux locaux",
        "Foncier et locaux",
        "Repérer des opportunités foncières, porter un investissement immobilier, mettre à "
        "disposition des locaux ou des terrains.",
    ),
    (
        "commande-publique",
        "Commande publique",
        "Commande publique",
        "Recourir aux biens et services proposés par le pôle dans le cadre de marchés publics "
        "ou de délégations de service public, ou à son savoir-faire en matière de coopération.",
    ),
    (
        "capital-scic",
        "Entrée au capital d'une SCIC",
        "Capital de SCIC",
        "Quand le pôle a pris la forme d'une société coopérative d'intérêt collectif, la "
        "collectivité peut en devenir associée et prendre part à sa gouvernance.",
    ),
    (
        "strategie-schemas",
        "Inscription dans les stratégies et schémas",
        "Stratégies et schémas",
        "Inscrire les PTCE dans les schémas régionaux (SRDEII, SRADDET), les programmes "
        "européens et les politiques sectorielles, ce qui facilite l'engagement des autres "
        "niveaux de collectivités.",
    ),
]


def create_support_types(apps, schema_editor):
    SupportType = apps.get_model("collectivites", "SupportType")
    for position, (slug, title, short_title, description) in enumerate(SUPPORT_TYPES, start=1):
        SupportType.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "short_title": short_title,
                "description": description,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("collectivites", "0001_initial")]

    operations = [migrations.RunPython(create_support_types, migrations.RunPython.noop)]
