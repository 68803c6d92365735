"""Import the software catalog from a CSV or XLSX file: all rows, or none with every problem."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vitrine.catalog.services import CatalogImportRefused, catalog_import_file


class Command(BaseCommand):
    help = (
        "Import catalog entries from a CSV or XLSX file. The file is validated as a whole; "
        "on any problem nothing is imported and every problem is listed (exit code 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or XLSX file with a heading row")
        parser.add_argument("--sheet", help="worksheet of an XLSX file (default: the first)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="validate and report what would change, without saving",
        )

    def handle(self, *args, file: str, sheet: str | None, dry_run: bool, **options) -> None:
        try:
            result = catalog_import_file(file=file, sheet=sheet, dry_run=dry_run)
        except CatalogImportRefused as refused:
            for note in refused.notes:
                self.stderr.write(_("Note: %(note)s") % {"note": note})
            for problem in refused.problems:
                self.stderr.write(str(problem))
            if refused.total > len(refused.problems):
                self.stderr.write(
                    _("The first %(shown)s of %(total)s problems are shown.")
                    % {"shown": len(refused.problems), "total": refused.total}
                )
            raise CommandError(
                _("%(file)s was refused with %(total)s problem(s); nothing was imported.")
                % {"file": file, "total": refused.total}
            ) from None
        for note in result.notes:
            self.stdout.write(_("Note: %(note)s") % {"note": note})
        if dry_run:
            self.stdout.write(
                _("Dry run, nothing saved. The import would do: %(summary)s")
                % {"summary": result.summary()}
            )
        else:
            self.stdout.write(self.style.SUCCESS(result.summary()))
