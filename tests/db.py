"""Database helpers shared by tests."""

from django.db import connection


def row_counts() -> dict[str, int]:
    """Rows in every table: compared before and after, they show that nothing was kept."""
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts
