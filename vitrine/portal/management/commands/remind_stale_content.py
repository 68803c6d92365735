"""Remind owners of info blocks due for review; escalate what stays unconfirmed."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vitrine.portal.services import ReminderRun, stale_content_remind


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # A property, so argparse gets a plain string in the language active at the call.
        return _(
            "Send one e-mail per owner listing their info blocks that are past or near their "
            "review date, report blocks without a reachable owner to the team lead, and "
            "escalate blocks still unconfirmed after the grace period."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Show what would be sent without sending or recording anything."),
        )
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help=_("Run as if today were this date (for catching up or testing)."),
        )
        parser.add_argument(
            "--grace-days",
            type=int,
            metavar="N",
            help=_(
                "Escalate blocks still unconfirmed N days after the first reminder "
                "(default: VITRINE_REVIEW_GRACE_DAYS)."
            ),
        )

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(
                    _("--today: %(value)r is not a date. Use the form YYYY-MM-DD, e.g. 2025-03-31.")
                    % {"value": options["today"]}
                ) from error
        grace_days = options["grace_days"]
        if grace_days is not None and grace_days < 0:
            raise CommandError(_("--grace-days: give a number of days of 0 or more."))

        run = stale_content_remind(today=today, grace_days=grace_days, dry_run=options["dry_run"])
        self._report(run)

    def _report(self, run: ReminderRun) -> None:
        verb = _("Would send") if run.dry_run else _("Sent")
        if run.dry_run:
            self.stdout.write(_("Dry run: nothing is sent and nothing is recorded."))
        self.stdout.write(
            _("Review reminders for %(date)s (escalation after %(days)d days):")
            % {"date": run.today.isoformat(), "days": run.grace_days}
        )
        for reminder in run.owner_reminders:
            if not run.dry_run and not reminder.sent:
                continue
            self.stdout.write(
                ngettext(
                    "%(verb)s reminder to %(name)s <%(email)s> for %(count)d info block:",
                    "%(verb)s reminder to %(name)s <%(email)s> for %(count)d info blocks:",
                    len(reminder.pages),
                )
                % {
                    "verb": verb,
                    "name": reminder.owner_name,
                    "email": reminder.recipient,
                    "count": len(reminder.pages),
                }
            )
            for page in reminder.pages:
                self.stdout.write(f"  - {page.title} ({self._due(page, run.today)})")

        lead_done = run.dry_run or run.team_lead_sent
        if run.team_lead_email and lead_done and run.unreachable:
            self.stdout.write(
                _("%(verb)s to the team lead <%(email)s>, info blocks without a reachable owner:")
                % {"verb": verb, "email": run.team_lead_email}
            )
            for page in run.unreachable:
                self.stdout.write(f"  - {page.title} ({self._due(page, run.today)})")
        if run.team_lead_email and lead_done and run.escalations:
            self.stdout.write(
                _("%(verb)s to the team lead <%(email)s>, escalations:")
                % {"verb": verb, "email": run.team_lead_email}
            )
            for page in run.escalations:
                self.stdout.write(f"  - {page.title} ({self._due(page, run.today)})")

        if run.team_lead_missing:
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "No team lead address is set, so %(unreachable)d info block(s) without "
                        "a reachable owner and %(escalations)d escalation(s) were not sent. "
                        "Enter the team lead e-mail in Settings > Corporate design, or set "
                        "TEAM_LEAD_EMAIL."
                    )
                    % {
                        "unreachable": len(run.unreachable),
                        "escalations": len(run.escalations),
                    }
                )
            )
        for failure in run.failures:
            self.stderr.write(self.style.ERROR(failure))

        if not (run.owner_reminders or run.unreachable or run.escalations):
            self.stdout.write(_("Nothing to send: no info block needs a reminder today."))
        elif not run.dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext("%(count)d e-mail sent.", "%(count)d e-mails sent.", run.mails_sent)
                    % {"count": run.mails_sent}
                )
            )

    @staticmethod
    def _due(page, today: datetime.date) -> str:
        days = (today - page.review_by).days
        when = date_format(page.review_by, "SHORT_DATE_FORMAT")
        if days > 0:
            return ngettext(
                "review was due on %(date)s, %(days)d day overdue",
                "review was due on %(date)s, %(days)d days overdue",
                days,
            ) % {"date": when, "days": days}
        return _("review due on %(date)s") % {"date": when}
