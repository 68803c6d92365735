"""Writes of the portal: confirming info blocks as still valid and reminding their owners."""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from wagtail.log_actions import log
from wagtail.models import Revision, Site

from .links import absolute_url, page_url
from .models import CorporateDesign, InfoBlockPage, ReviewConfirmation, ReviewReminder
from .selectors import info_blocks_due_for_review, user_display_name

logger = logging.getLogger(__name__)

REVIEW_LINK_SALT = "vitrine.portal.review-confirm"
LOG_ACTION_CONFIRM = "vitrine.review.confirm"


# --- Confirming a block -------------------------------------------------------------------


@dataclass(frozen=True)
class ConfirmOutcome:
    """What a confirmation did: the confirmation that now stands, and whether it is new."""

    confirmation: ReviewConfirmation | None
    created: bool
    page: InfoBlockPage


def _patch_revisions(page: InfoBlockPage, new_review_by: datetime.date) -> None:
    """Carry the new date into the revisions that may still be published.

    The editor builds its form from the latest revision and publishing copies a revision
    over the page row, so a draft or a scheduled revision with the old date would undo the
    confirmation. Older revisions stay as they were: they are history.
    """
    query = Q(approved_go_live_at__isnull=False)
    pks = [pk for pk in (page.latest_revision_id, page.live_revision_id) if pk]
    if pks:
        query |= Q(pk__in=pks)
    if page.live_revision_id:
        live_created = (
            Revision.objects.filter(pk=page.live_revision_id)
            .values_list("created_at", flat=True)
            .first()
        )
        if live_created:
            query |= Q(created_at__gte=live_created)
    revisions = Revision.page_revisions.filter(object_id=str(page.pk)).filter(query)
    for revision in revisions.select_for_update():
        if not isinstance(revision.content, dict):
            continue
        revision.content["review_by"] = new_review_by.isoformat()
        revision.save(update_fields=["content"])


def info_block_confirm(
    *,
    page: InfoBlockPage,
    user,
    issued_for: datetime.date | None = None,
    today: datetime.date | None = None,
) -> ConfirmOutcome:
    """Confirm that an info block is still valid: the next review is due after its interval.

    No new revision is created; the date is written to the page row and to the revisions
    that may still be published. A second click (the block already confirmed for today, or
    `issued_for` no longer the block's review date) changes nothing.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            InfoBlockPage.objects.select_for_update()
            .only("pk", "review_by", "review_interval_days", "latest_revision", "live_revision")
            .get(pk=page.pk)
        )
        new_review_by = locked.next_review_date(today)
        latest = locked.review_confirmations.select_related("confirmed_by").first()
        already = locked.review_by == new_review_by or (
            issued_for is not None and locked.review_by != issued_for
        )
        if already:
            page.review_by = locked.review_by
            return ConfirmOutcome(confirmation=latest, created=False, page=page)

        previous = locked.review_by
        InfoBlockPage.objects.filter(pk=locked.pk).update(review_by=new_review_by)
        _patch_revisions(locked, new_review_by)
        confirmation = ReviewConfirmation.objects.create(
            page_id=locked.pk,
            confirmed_by=user if user is not None and user.is_authenticated else None,
            previous_review_by=previous,
            new_review_by=new_review_by,
        )
        log(
            instance=page,
            action=LOG_ACTION_CONFIRM,
            user=confirmation.confirmed_by,
            data={
                "previous_review_by": previous.isoformat() if previous else None,
                "new_review_by": new_review_by.isoformat(),
            },
        )
    page.review_by = new_review_by
    return ConfirmOutcome(confirmation=confirmation, created=True, page=page)


# --- One-click links ----------------------------------------------------------------------


class ReviewLinkInvalid(Exception):
    """The link was altered, cut off or made for something else."""


class ReviewLinkExpired(ReviewLinkInvalid):
    """The link is genuine but older than the allowed age."""


@dataclass(frozen=True)
class ReviewClaim:
    """What a confirmation link names: the block, its owner and the review date it was for."""

    page_id: int
    owner_id: int
    review_by: datetime.date


def review_link_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "VITRINE_REVIEW_LINK_MAX_AGE_DAYS", 60))


def review_token_make(*, page: InfoBlockPage, owner) -> str:
    """A signed token naming the block, its owner and the review date it is issued for."""
    payload = {"p": page.pk, "o": owner.pk, "r": page.review_by.isoformat()}
    return signing.dumps(payload, salt=REVIEW_LINK_SALT, compress=True)


def review_token_read(token: str) -> ReviewClaim:
    """Check a token's signature and age; raises ReviewLinkExpired or ReviewLinkInvalid."""
    try:
        payload = signing.loads(token, salt=REVIEW_LINK_SALT, max_age=review_link_max_age())
    except signing.SignatureExpired as error:
        raise ReviewLinkExpired(str(error)) from error
    except signing.BadSignature as error:
        raise ReviewLinkInvalid(str(error)) from error
    try:
        return ReviewClaim(
            page_id=int(payload["p"]),
            owner_id=int(payload["o"]),
            review_by=datetime.date.fromisoformat(payload["r"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ReviewLinkInvalid("malformed payload") from error


def review_link_url(*, page: InfoBlockPage, owner) -> str:
    token = review_token_make(page=page, owner=owner)
    return absolute_url(reverse("review:confirm", kwargs={"token": token}))


# --- Reminders ----------------------------------------------------------------------------


@dataclass
class OwnerReminder:
    """One mail to one owner, listing their blocks due for review."""

    recipient: str
    owner_name: str
    pages: list[InfoBlockPage]
    sent: bool = False


@dataclass
class ReminderRun:
    """What a reminder run sent (or, in a dry run, would send)."""

    today: datetime.date
    dry_run: bool
    grace_days: int
    team_lead_email: str
    owner_reminders: list[OwnerReminder] = field(default_factory=list)
    unreachable: list[InfoBlockPage] = field(default_factory=list)
    escalations: list[InfoBlockPage] = field(default_factory=list)
    team_lead_sent: bool = False
    failures: list[str] = field(default_factory=list)

    @property
    def team_lead_missing(self) -> bool:
        """True when something was for the team lead but no address is configured."""
        return not self.team_lead_email and bool(self.unreachable or self.escalations)

    @property
    def mails_sent(self) -> int:
        return sum(1 for r in self.owner_reminders if r.sent) + int(self.team_lead_sent)


def team_lead_address() -> str:
    """The team lead's address: the corporate design setting first, then the environment."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        design = CorporateDesign.objects.filter(site=site).first()
        if design is not None and design.team_lead_email:
            return design.team_lead_email
    return getattr(settings, "VITRINE_TEAM_LEAD_EMAIL", "") or ""


def _clock(today: datetime.date | None) -> tuple[datetime.date, datetime.datetime]:
    """Today's date and the moment to record; a simulated day is recorded at its noon."""
    real_today = timezone.localdate()
    if today is None or today == real_today:
        return real_today, timezone.now()
    return today, timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _page_lines(pages, *, owner=None, today: datetime.date) -> list[dict]:
    lines = []
    for page in pages:
        overdue = (today - page.review_by).days
        live_url = page_url(page)
        lines.append(
            {
                "page": page,
                "review_by": page.review_by,
                "days_overdue": overdue,
                "days_left": -overdue,
                "confirm_url": review_link_url(page=page, owner=owner) if owner else "",
                "admin_confirm_url": absolute_url(
                    reverse("portal_info_block_still_valid", args=[page.pk])
                ),
                "edit_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[page.pk])),
                "live_url": live_url,
                "owner_name": user_display_name(page.owner_user) if page.owner_user else "",
            }
        )
    return lines


def _message(*, to: str, subject: str, template: str, context: dict, connection):
    text = render_to_string(f"portal/emails/{template}.txt", context)
    html = render_to_string(f"portal/emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def _send(message, run: ReminderRun) -> bool:
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        # One unreachable mailbox must not stop the other owners' reminders.
        logger.warning("Review reminder to %s failed: %s", message.to, error)
        run.failures.append(
            gettext("Sending to %(recipient)s failed: %(error)s")
            % {"recipient": ", ".join(message.to), "error": error}
        )
        return False
    return True


def _record_reminders(pages, moment: datetime.datetime) -> None:
    for page in pages:
        reminder, created = ReviewReminder.objects.get_or_create(
            page_id=page.pk,
            review_by=page.review_by,
            defaults={"first_sent_at": moment, "last_sent_at": moment, "reminder_count": 1},
        )
        if not created:
            ReviewReminder.objects.filter(pk=reminder.pk).update(
                last_sent_at=moment, reminder_count=F("reminder_count") + 1
            )


def stale_content_remind(
    *,
    today: datetime.date | None = None,
    grace_days: int | None = None,
    dry_run: bool = False,
) -> ReminderRun:
    """Remind owners of info blocks that are due, and escalate what stays unconfirmed.

    One mail per owner lists their blocks, each with a one-click "still valid" link. A block
    is reminded again after VITRINE_REVIEW_REMINDER_INTERVAL_DAYS (default 7), so running the
    command twice a day sends nothing twice. Blocks without a reachable owner go to the team
    lead, and so does, once, every block still unconfirmed `grace_days` after its first
    reminder.
    """
    today, moment = _clock(today)
    if grace_days is None:
        grace_days = getattr(settings, "VITRINE_REVIEW_GRACE_DAYS", 30)
    warning_days = getattr(settings, "VITRINE_REVIEW_WARNING_DAYS", 14)
    interval = getattr(settings, "VITRINE_REVIEW_REMINDER_INTERVAL_DAYS", 7)
    run = ReminderRun(
        today=today, dry_run=dry_run, grace_days=grace_days, team_lead_email=team_lead_address()
    )

    due = list(info_blocks_due_for_review(within_days=warning_days, today=today))
    reminders = {
        (r.page_id, r.review_by): r
        for r in ReviewReminder.objects.filter(
            page__in=[p.pk for p in due], review_by__in={p.review_by for p in due}
        )
    }

    by_owner: dict[int, list[InfoBlockPage]] = {}
    for page in due:
        reminder = reminders.get((page.pk, page.review_by))
        if (
            reminder is not None
            and reminder.escalated_at is None
            and page.review_by < today
            and (today - _local_date(reminder.first_sent_at)).days > grace_days
        ):
            run.escalations.append(page)
        if reminder is not None and (today - _local_date(reminder.last_sent_at)).days < interval:
            continue
        owner = page.owner_user
        if owner is None or not owner.is_active or not owner.email:
            run.unreachable.append(page)
        else:
            by_owner.setdefault(owner.pk, []).append(page)

    User = get_user_model()
    owners = User.objects.in_bulk(by_owner.keys())
    for owner_pk, pages in by_owner.items():
        owner = owners[owner_pk]
        run.owner_reminders.append(
            OwnerReminder(recipient=owner.email, owner_name=user_display_name(owner), pages=pages)
        )
    run.owner_reminders.sort(key=lambda r: r.recipient.lower())

    if dry_run:
        return run

    connection = get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in run.owner_reminders:
            owner = owners[reminder.pages[0].owner_user_id]
            context = {
                "owner_name": reminder.owner_name,
                "lines": _page_lines(reminder.pages, owner=owner, today=today),
                "today": today,
                "link_days": review_link_max_age().days,
                "portal_name": _portal_name(),
            }
            subject = ngettext(
                "Please check your info block: is it still valid?",
                "Please check your %(count)d info blocks: are they still valid?",
                len(reminder.pages),
            ) % {"count": len(reminder.pages)}
            message = _message(
                to=reminder.recipient,
                subject=subject,
                template="review_reminder",
                context=context,
                connection=connection,
            )
            if _send(message, run):
                reminder.sent = True
                _record_reminders(reminder.pages, moment)

        if run.team_lead_email and (run.unreachable or run.escalations):
            count = len(run.unreachable) + len(run.escalations)
            context = {
                "unreachable": _page_lines(run.unreachable, today=today),
                "escalations": _page_lines(run.escalations, today=today),
                "grace_days": grace_days,
                "today": today,
                "report_url": absolute_url(reverse("portal_review_due")),
                "portal_name": _portal_name(),
            }
            subject = ngettext(
                "%(count)d info block needs your attention",
                "%(count)d info blocks need your attention",
                count,
            ) % {"count": count}
            message = _message(
                to=run.team_lead_email,
                subject=subject,
                template="review_team_lead",
                context=context,
                connection=connection,
            )
            if _send(message, run):
                run.team_lead_sent = True
                _record_reminders(run.unreachable, moment)
                escalated = [reminders[(p.pk, p.review_by)].pk for p in run.escalations]
                ReviewReminder.objects.filter(pk__in=escalated, escalated_at__isnull=True).update(
                    escalated_at=moment
                )
    return run


def _portal_name() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    design = CorporateDesign.objects.filter(site=site).first() if site else None
    if design is not None:
        return design.portal_name
    return CorporateDesign._meta.get_field("portal_name").default
