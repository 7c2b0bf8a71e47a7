"""Recognise a database made by an earlier version of the portal whose migrations were
rewritten (November 2026, the one-way layers): it records migrations of the portal's apps
that exist no more, and cannot be migrated forward. It must be recreated."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

MESSAGE = (
    "Cette base de données a été créée par une version antérieure du portail, dont les "
    "migrations ont été réécrites ({examples}). Elle ne peut pas être mise à jour : "
    "recréez-la. Avec la base SQLite par défaut : « make clean » puis « make run ». "
    "Avec PostgreSQL : supprimez et recréez la base (dropdb, createdb), puis « make run »."
)


def portal_apps():
    """Labels of the apps that belong to this project (not Django's nor libraries')."""
    base = Path(settings.BASE_DIR).resolve()
    return {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base)
    }


def unknown_applied_migrations(database="default"):
    """``[(app, name), ...]`` recorded as applied for the portal's apps but absent from the
    code: the mark of a database made by an earlier version."""
    loader = MigrationLoader(connections[database], ignore_no_migrations=True)
    ours = portal_apps()
    return sorted(
        (app, name)
        for app, name in loader.applied_migrations
        if app in ours and (app, name) not in loader.disk_migrations
    )


def outdated_database_message(database="default"):
    """The message to show, or None when the database can be migrated."""
    unknown = unknown_applied_migrations(database)
    if not unknown:
        return None
    examples = ", ".join(f"{app}.{name}" for app, name in unknown[:3])
    return MESSAGE.format(examples=examples)
