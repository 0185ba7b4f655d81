"""`manage.py flush` that also empties the append-only tables on SQLite (see sites/append_only.py).

Django's flush empties every table: a TRUNCATE on PostgreSQL, which row triggers ignore, but a
`DELETE FROM` per table on SQLite, which the append-only triggers refuse. This command lifts those
triggers for the flush's own transaction only, so flush (and TransactionTestCase, which runs it between
tests) behaves the same on both databases. Row-by-row deletes and updates stay refused everywhere else.
"""

from django.core.management.commands import flush
from django.db import connections

from sites.append_only import triggers_lifted


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        ops = connection.ops
        run_flush = ops.execute_sql_flush

        def execute_sql_flush(sql_list):
            with triggers_lifted(connection):
                run_flush(sql_list)

        # Only for this call (connections are per thread): Django's handle() stays as it is.
        ops.execute_sql_flush = execute_sql_flush
        try:
            return super().handle(**options)
        finally:
            del ops.execute_sql_flush
