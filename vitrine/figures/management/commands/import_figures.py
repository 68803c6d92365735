"""Import a SAM or ITSM export from the command line: figures, summary table, exit code."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from vitrine.figures.importers import FORMATS
from vitrine.figures.models import ImportRun
from vitrine.figures.plausibility import ImplausibleImport, Plausibility
from vitrine.figures.services import figures_import

REFUSED_EXIT_CODE = 2
IMPLAUSIBLE_EXIT_CODE = 3


class Command(BaseCommand):
    help = "Import an entitlements, consumption, Snipe-IT, Microsoft 365 or request-log file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV or XLSX file to import")
        parser.add_argument("--format", help=f"One of: {', '.join(FORMATS)}")
        parser.add_argument("--date", help="Date of the figures, YYYY-MM-DD")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and compute, store nothing; show each figure's change and the warnings",
        )
        parser.add_argument(
            "--accept-warnings",
            action="store_true",
            help="Store the figures even if the plausibility check warns (a large change, "
            "far fewer accounts or products than the last import)",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        fmt = options["format"]
        if fmt is not None and fmt not in FORMATS:
            raise CommandError(
                _("--format: unknown format “%(format)s”; known formats: %(known)s.")
                % {"format": fmt, "known": ", ".join(FORMATS)}
            )
        day = None
        if options["date"] is not None:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    _("--date: “%(value)s” is not a date in the form YYYY-MM-DD.")
                    % {"value": options["date"]}
                ) from None
        try:
            run = figures_import(
                source=path,
                filename=path.name,
                format=fmt,
                date=day,
                dry_run=options["dry_run"],
                progress=self._progress,
                accept_warnings=options["accept_warnings"],
            )
        except ImplausibleImport as implausible:
            self._plausibility(implausible.plausibility)
            self.stderr.write(
                self.style.ERROR(
                    ngettext(
                        "Nothing was stored: %(count)d plausibility warning (listed above). "
                        "Check the file; to store its figures anyway, run the command again "
                        "with --accept-warnings.",
                        "Nothing was stored: %(count)d plausibility warnings (listed above). "
                        "Check the file; to store its figures anyway, run the command again "
                        "with --accept-warnings.",
                        len(implausible.plausibility.warnings),
                    )
                    % {"count": len(implausible.plausibility.warnings)}
                )
            )
            sys.exit(IMPLAUSIBLE_EXIT_CODE)
        outcome = run.outcome
        if run.status == ImportRun.Status.REFUSED:
            self.stderr.write(self.style.ERROR(outcome.summary))
            for p in outcome.problems:
                self.stderr.write(
                    _("row %(row)s, column %(column)s, value %(value)s: %(reason)s")
                    % {
                        "row": p.row if p.row is not None else "–",
                        "column": p.column or "–",
                        "value": repr(p.value) if p.value is not None else "–",
                        "reason": p.reason,
                    }
                )
            if outcome.total > len(outcome.problems):
                self.stderr.write(
                    _("… and %(count)d more problems.")
                    % {"count": outcome.total - len(outcome.problems)}
                )
            sys.exit(REFUSED_EXIT_CODE)
        check = outcome.plausibility or Plausibility()
        self._plausibility(check)
        if outcome.dry_run and check.warnings and not options["accept_warnings"]:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Without --accept-warnings, the import of this file would store "
                        "nothing because of the warnings above."
                    )
                )
            )
        if outcome.dry_run:
            message = _("Dry run: %(count)d values computed from %(rows)d rows, nothing stored.")
        else:
            message = _("Imported %(rows)d rows as %(format)s: %(count)d values stored.")
        self.stdout.write(
            self.style.SUCCESS(
                message
                % {"count": len(outcome.written), "rows": run.row_count, "format": run.format}
            )
        )

    def _progress(self, message: str, percent: int | None = None) -> None:
        if percent is None:
            self.stdout.write(f"… {message}")
            return
        filled = round(percent / 5)
        self.stdout.write(f"[{'#' * filled}{'.' * (20 - filled)}] {percent:3d} %  {message}")

    def _plausibility(self, check: Plausibility) -> None:
        """The table of figures with their previous value and change, the warnings and the
        published pages the import changes."""
        rows = [
            (
                ("! " if c.implausible else "") + c.key,
                c.date.isoformat(),
                _plain(c.previous),
                _plain(c.value),
                _change(c),
                c.unit,
            )
            for c in check.changes
        ]
        head = (
            _("Series"),
            _("Date"),
            pgettext("figure value", "Previous"),
            _("Value"),
            _("Change"),
            _("Unit"),
        )
        widths = [max(len(str(c)) for c in column) for column in zip(head, *rows, strict=False)]
        for line in (head, *rows):
            cells = [
                str(cell).rjust(width) if index in (2, 3, 4) else str(cell).ljust(width)
                for index, (cell, width) in enumerate(zip(line, widths, strict=True))
            ]
            self.stdout.write("  ".join(cells).rstrip())
        if check.warnings:
            self.stdout.write(
                self.style.WARNING(
                    _("Plausibility warnings (%(count)d):") % {"count": len(check.warnings)}
                )
            )
            for warning in check.warnings:
                self.stdout.write(f"  ! {warning.message}")
        if check.pages:
            self.stdout.write(_("Published pages that show figures this import changes:"))
            for page in check.pages:
                self.stdout.write(f"  {page.title} – {page.url}")


def _plain(value) -> str:
    return "–" if value is None else f"{value.quantize(Decimal('0.0001')).normalize():f}"


def _change(change) -> str:
    """The change with its sign; percentages in percentage points, others also relative."""
    if change.change is None:
        return "–"
    text = _plain(change.change)
    text = text if change.change < 0 else f"+{text}"
    if change.points:
        return _("%(change)s pp") % {"change": text}
    if change.relative is None:
        return text
    percent = f"{change.relative * 100:+.0f}"
    return f"{text} ({percent} %)"
