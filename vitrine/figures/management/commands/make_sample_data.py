"""Write a deterministic sample set of all five import formats for a made-up company."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from vitrine.figures.sample_data import FILENAMES, make_sample_data


def _positive(value: int | None, option: str, *, zero: bool = False) -> None:
    if value is not None and (value < 0 or (value == 0 and not zero)):
        raise CommandError(
            _("%(option)s must be a positive whole number, not %(value)d.")
            % {"option": option, "value": value}
        )


def _writable_directory(out: str) -> Path:
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise CommandError(_("--out %(path)s is a file, not a directory.") % {"path": out})
    # The nearest existing ancestor decides whether the directory can be made and written.
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise CommandError(_("--out %(path)s cannot be written to.") % {"path": out})
    return path


class Command(BaseCommand):
    help = (
        "Write sample exports in all five import formats (entitlements, consumption, "
        "Snipe-IT, Microsoft 365 active users, software requests) for a made-up company. "
        "The same arguments always give identical files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--employees", type=int, required=True, help="number of employees of the company"
        )
        parser.add_argument("--out", required=True, help="directory to write the files into")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
        parser.add_argument(
            "--date",
            help="date of the data, YYYY-MM-DD (default: today); renewals, activity and "
            "requests are placed relative to it",
        )
        parser.add_argument(
            "--conceal-names",
            action="store_true",
            help="write opaque hashes instead of user names in the Microsoft 365 report",
        )
        parser.add_argument(
            "--rows-m365", type=int, help="exact number of rows in the Microsoft 365 report"
        )
        parser.add_argument(
            "--rows-consumption", type=int, help="exact number of rows in the consumption file"
        )
        parser.add_argument(
            "--only",
            action="append",
            metavar="FORMAT",
            help="write only this format's file (repeatable); one of: " + ", ".join(FILENAMES),
        )

    def handle(
        self,
        *args,
        employees: int,
        out: str,
        seed: int,
        date: str | None,
        conceal_names: bool,
        rows_m365: int | None,
        rows_consumption: int | None,
        only: list[str] | None = None,
        **options,
    ) -> None:
        _positive(employees, "--employees")
        _positive(rows_m365, "--rows-m365")
        _positive(rows_consumption, "--rows-consumption")
        as_of = _parse_date(date)
        for key in only or ():
            if key not in FILENAMES:
                raise CommandError(
                    _("--only must name one of %(formats)s, not “%(value)s”.")
                    % {"formats": ", ".join(FILENAMES), "value": key}
                )
        path = _writable_directory(out)
        started = time.monotonic()
        try:
            files = make_sample_data(
                employees=employees,
                out=path,
                seed=seed,
                as_of=as_of,
                conceal_names=conceal_names,
                rows_m365=rows_m365,
                rows_consumption=rows_consumption,
                only=only,
            )
        except OSError as error:
            raise CommandError(
                _("The sample files could not be written to %(path)s: %(error)s")
                % {"path": out, "error": error.strerror or error}
            ) from None
        for file in files:
            self.stdout.write(
                _("%(format)-13s %(rows)9d rows  %(path)s")
                % {"format": file.format, "rows": file.rows, "path": file.path}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)d sample files written in %(seconds).1f s.")
                % {"count": len(files), "seconds": time.monotonic() - started}
            )
        )


def _parse_date(value: str | None) -> date:
    if value is None:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("--date must be a date written YYYY-MM-DD, e.g. 2026-12-31, not “%(value)s”.")
            % {"value": value}
        ) from None
