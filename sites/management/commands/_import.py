"""What the import commands (`import_areas`, `import_sites`, `import_members`) share: open the file, run
the import, report each bad row, show the progress."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sites.imports import ImportFailed


class ImportCommand(BaseCommand):
    importer = None  # sites.imports.import_areas or import_sites
    what = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV（UTF-8，可带 BOM）或 .xlsx 文件；列说明见 README“Imports”")

    def importer_options(self, options):
        """Extra keyword arguments for the importer, from the command's own options (none here)."""
        return {}

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        extra = self.importer_options(options)
        with path.open("rb") as handle:
            try:
                result = type(self).importer(file=handle, filename=path.name, report=self.report, **extra)
            except ImportFailed as failure:
                for error in failure.errors:
                    self.stderr.write(str(error))
                raise CommandError(
                    f"导入失败：{len(failure.errors)} 处错误，未导入任何{self.what}。"
                ) from None
        self.stdout.write(self.style.SUCCESS(f"{self.what}导入完成：{result}"))

    def report(self, done, total):
        """Progress in the terminal: one line redrawn in place, or a line per tenth when piped to a log."""
        if total == 0:
            return
        text = f"正在导入{self.what}：{done}/{total} 行（{done * 100 // total}%）"
        if self.stdout.isatty():
            self.stdout.write(f"\r{text}", ending="\n" if done == total else "")
        elif done == 0 or done == total or done * 10 // total != (done - 100) * 10 // total:
            self.stdout.write(text)
