"""Database helpers shared by tests."""

from django.db import connection


def row_counts() -> dict[str, int]:
    """Rows in every table: compared before and after, they show that nothing was kept."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        # One query for every table: the permission matrix takes this twice per request.
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT %s, COUNT(*) FROM {connection.ops.quote_name(table)}" for table in tables
            ),
            tables,
        )
        return dict(cursor.fetchall())
