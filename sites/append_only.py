"""Append-only records (ledgers, timelines): written once, never rewritten, on every database.

Two layers, because each catches what the other cannot:

- `AppendOnlyModel` refuses `save()` of an existing row and `delete()` of an instance with a clear
  `AppendOnlyError` — the friendly error for code that tries it by mistake;
- `forbid_rewrites()` is a migration operation that installs database triggers refusing every UPDATE and
  DELETE of the table, so `QuerySet.update()`, `QuerySet.delete()`, a cascade and raw SQL are refused too
  (DESIGN.md section 4). A mistake is corrected by a new, reversing row.

Any app's migration may use it (this module sits in the bottom app), e.g. a points ledger:

    from sites.append_only import forbid_rewrites

    operations = [forbid_rewrites("members.PointsEntry", "积分流水只能追加，不能修改或删除。")]

Plain SQL rather than django-pgtrigger: that library is PostgreSQL-only, and the rule must hold on the
SQLite development database as well. A refusal is SQLSTATE 23001 (restrict_violation) on PostgreSQL and
RAISE(ABORT) (SQLITE_CONSTRAINT_TRIGGER) on SQLite: `django.db.IntegrityError` on both.

Emptying a whole database is not a rewrite: PostgreSQL's flush is a TRUNCATE, which row triggers ignore;
SQLite's flush is `DELETE FROM` every table, so `manage.py flush` (sites/management/commands/flush.py,
also what TransactionTestCase runs between tests) lifts the triggers inside its own transaction with
`triggers_lifted()` and puts them back before it commits. Nothing else lifts them.

SQLite caveat: a later migration that makes Django rebuild one of these tables on SQLite (most
AlterField/RemoveField) drops its triggers with the old table. `tests/projects/test_append_only.py`
checks every AppendOnlyModel has its triggers after all migrations; re-run `forbid_rewrites` after such
an operation (the install is idempotent).
"""

from contextlib import contextmanager

from django.db import migrations, models, transaction

SQLSTATE = "23001"  # restrict_violation: class 23, so drivers raise IntegrityError
TRIGGER_PREFIX = "append_only_"


class AppendOnlyError(Exception):
    """Raised when code tries to rewrite or delete a row of an append-only record."""


class AppendOnlyModel(models.Model):
    """Rows are written once: the record of what happened is never edited, only added to.

    A concrete subclass must also call `forbid_rewrites` from a migration (the database's half).
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}只能新增，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name}只能新增，不能删除。")


def _literal(text):
    return "'" + text.replace("'", "''") + "'"


def _function_name(table):
    return f"{TRIGGER_PREFIX}{table}_refuse"


def install_sql(vendor, table, message):
    """The statements that make `table` append-only on `vendor`; safe to run twice."""
    if vendor == "postgresql":
        function = _function_name(table)
        return [
            f"""CREATE OR REPLACE FUNCTION "{function}"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION USING ERRCODE = '{SQLSTATE}', MESSAGE = {_literal(message)},
                    DETAIL = TG_OP || ' on ' || TG_TABLE_NAME || ' refused: the table is append-only.';
            END $$""",
            f'DROP TRIGGER IF EXISTS "{TRIGGER_PREFIX}{table}" ON "{table}"',
            # Row-level: an UPDATE or DELETE that matches no row is harmless and passes.
            f'CREATE TRIGGER "{TRIGGER_PREFIX}{table}" BEFORE UPDATE OR DELETE ON "{table}" '
            f'FOR EACH ROW EXECUTE FUNCTION "{function}"()',
        ]
    if vendor == "sqlite":
        return [
            f'CREATE TRIGGER IF NOT EXISTS "{TRIGGER_PREFIX}{table}_{op.lower()}" BEFORE {op} ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, {_literal(message)}); END"
            for op in ("UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def remove_sql(vendor, table):
    if vendor == "postgresql":
        return [
            f'DROP TRIGGER IF EXISTS "{TRIGGER_PREFIX}{table}" ON "{table}"',
            f'DROP FUNCTION IF EXISTS "{_function_name(table)}"()',
        ]
    if vendor == "sqlite":
        return [f'DROP TRIGGER IF EXISTS "{TRIGGER_PREFIX}{table}_{op}"' for op in ("update", "delete")]
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def forbid_rewrites(model, message):
    """Migration operation: refuse UPDATE and DELETE on `model` ("app_label.ModelName") with `message`.

    Reversible: going back drops the triggers (and on PostgreSQL their function).
    """
    app_label, model_name = model.split(".")

    def table(apps):
        return apps.get_model(app_label, model_name)._meta.db_table

    def forwards(apps, schema_editor):
        for sql in install_sql(schema_editor.connection.vendor, table(apps), message):
            schema_editor.execute(sql, params=None)

    def backwards(apps, schema_editor):
        for sql in remove_sql(schema_editor.connection.vendor, table(apps)):
            schema_editor.execute(sql, params=None)

    return migrations.RunPython(forwards, backwards)


def installed_triggers(connection, table):
    """Names of the append-only triggers on `table` (for the tests that check none went missing)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [connection.ops.quote_name(table)],
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        return {name for (name,) in cursor.fetchall() if name.startswith(TRIGGER_PREFIX)}


@contextmanager
def triggers_lifted(connection):
    """SQLite only: drop every append-only trigger, and re-create it when the block ends.

    Both happen in one transaction with the block, so no other connection ever sees a table unguarded
    (SQLite's DDL is transactional). Only `manage.py flush` uses it.
    """
    if connection.vendor != "sqlite":
        raise NotImplementedError("only SQLite's flush needs this: TRUNCATE ignores row triggers")
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB %s",
                [f"{TRIGGER_PREFIX}*"],
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        yield
        with connection.cursor() as cursor:
            for _, sql in triggers:
                cursor.execute(sql)
