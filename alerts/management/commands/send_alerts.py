"""``manage.py send_alerts``: the weekly digests of the alert subscriptions (for cron; see
docs/deployment.md). A thin shell over ``alerts.services.send_digests``."""

from django.core.management.base import BaseCommand

from alerts.services import send_digests


class Command(BaseCommand):
    help = "Envoie à chaque abonnement confirmé les PTCE publiés depuis son dernier envoi."

    def handle(self, *args, **options):
        report = send_digests()
        self.stdout.write(
            f"{report.sent} courriel(s) envoyé(s), {report.skipped} abonnement(s) sans "
            f"nouveauté, {report.purged} abonnement(s) non confirmé(s) supprimé(s)."
        )
