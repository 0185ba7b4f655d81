"""Change history of the records staff edit (django-simple-history): who changed what, and when.

Each such model declares `history = StaffEditHistory(...)`; its admin mixes in
`sites.admin_history.ScopedHistoryAdmin`; `HistoryRequestMiddleware` records the signed-in user. Works
alike on SQLite and PostgreSQL (django-pghistory would be PostgreSQL-only).

Not recorded, on purpose: `QuerySet.update()` (the money's counters and the workflow's status move
that way, and their ledger and timeline are the record) and `bulk_create` (imports of whole files,
the city-scale demo).
"""

from simple_history.models import HistoricalRecords


class StaffEditHistory(HistoricalRecords):
    def get_meta_options(self, model):
        # Chinese names for the history tables, like every other verbose_name (simple-history's own
        # "historical …" is not translated).
        options = super().get_meta_options(model)
        options["verbose_name"] = options["verbose_name_plural"] = f"{model._meta.verbose_name}修改记录"
        return options

    def post_save(self, instance, created, using=None, **kwargs):
        # A save of excluded fields alone (a login writes last_login) changes nothing worth a record.
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)
