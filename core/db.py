"""Database helpers: upkeep after bulk loads, and an aggregate both databases understand."""

from django.db import connection
from django.db.models import Aggregate, TextField


def analyze(*models):
    """Refresh the query planner's statistics of these models' tables (and of their
    many-to-many tables), after a bulk load. PostgreSQL's autovacuum would do it later;
    SQLite never does it by itself, and without statistics its planner picks plans that
    are hundreds of times slower on the portal's joins."""
    tables = []
    for model in models:
        tables.append(model._meta.db_table)
        tables += [
            field.remote_field.through._meta.db_table for field in model._meta.local_many_to_many
        ]
    quoted = [connection.ops.quote_name(table) for table in dict.fromkeys(tables)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(quoted))
        else:
            for table in quoted:
                cursor.execute(f"ANALYZE {table}")


class GroupConcat(Aggregate):
    """The values of a group joined by commas, as text: ``GROUP_CONCAT`` on SQLite,
    ``STRING_AGG`` on PostgreSQL."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s)"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(CAST(%(expressions)s AS text), ',')",
            **extra_context,
        )
