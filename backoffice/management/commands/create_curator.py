"""``manage.py create_curator USERNAME --email E [--region CODE ...] [--national] [--reader]
[--collectivite KIND:CODE]``: creates or updates a back-office account and its role (see
``backoffice.services.curators``)."""

from django.core.management.base import BaseCommand, CommandError

from backoffice.services.curators import CuratorError, create_or_update_curator


class Command(BaseCommand):
    help = "Crée ou met à jour un compte de l'espace contributeurs et son rôle."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        roles = parser.add_mutually_exclusive_group()
        roles.add_argument("--national", action="store_true", help="curateur national (RTES)")
        roles.add_argument("--reader", action="store_true", help="lecteur")
        roles.add_argument(
            "--collectivite", metavar="KIND:CODE", help="contributeur, ex. departement:60"
        )
        parser.add_argument(
            "--region",
            action="append",
            default=[],
            metavar="CODE",
            help="curateur régional de cette région (code INSEE, répétable)",
        )

    def handle(self, *args, **options):
        try:
            result = create_or_update_curator(
                options["username"],
                email=options["email"],
                national=options["national"],
                reader=options["reader"],
                regions=options["region"],
                collectivite=options["collectivite"],
            )
        except CuratorError as error:
            raise CommandError(str(error)) from error
        verb = "créé" if result.created else "mis à jour"
        self.stdout.write(f"Compte {result.user.username} {verb} : {result.description}.")
        if result.password_link:
            self.stdout.write(f"Lien pour choisir le mot de passe : {result.password_link}")
