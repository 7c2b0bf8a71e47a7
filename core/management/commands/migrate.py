"""``migrate`` that first refuses, with a clear message, a database made by an earlier
version of the portal whose migrations were rewritten (see ``core.schema``)."""

from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as MigrateCommand

from core.schema import outdated_database_message


class Command(MigrateCommand):
    def handle(self, *args, **options):
        message = outdated_database_message(options["database"])
        if message:
            raise CommandError(message)
        return super().handle(*args, **options)
