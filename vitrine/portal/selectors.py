"""Reads of the portal: what a reader sees now."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from .models import Contact, InfoBlockPage, NewsFlash, ReviewConfirmation


def active_news_flashes(audiences, at: datetime.datetime | None = None) -> list[NewsFlash]:
    """The News Flashes in their window for these audiences, most urgent first."""
    order = {"critical": 0, "important": 1, "info": 2}
    flashes = list(
        NewsFlash.objects.active(at).for_audiences(audiences).select_related("link_page")
    )
    return sorted(flashes, key=lambda f: (order.get(f.urgency, 9), -f.starts_at.timestamp()))


def info_blocks_due_for_review(*, within_days: int = 0, today: datetime.date | None = None):
    """Live info blocks whose review date has passed or falls within `within_days`."""
    today = today or timezone.localdate()
    limit = today + datetime.timedelta(days=within_days)
    return (
        InfoBlockPage.objects.live()
        .filter(review_by__isnull=False, review_by__lte=limit)
        .select_related("owner_user")
        .order_by("review_by", "title")
    )


@dataclass(frozen=True)
class ReviewCounts:
    """How many live info blocks are past their review date, and how many are due soon."""

    stale: int
    due_soon: int
    warning_days: int


def info_block_review_counts(*, today: datetime.date | None = None) -> ReviewCounts:
    """Counts for the dashboard: past due, and due within VITRINE_REVIEW_WARNING_DAYS."""
    today = today or timezone.localdate()
    warning_days = getattr(settings, "VITRINE_REVIEW_WARNING_DAYS", 14)
    counts = info_blocks_due_for_review(within_days=warning_days, today=today).aggregate(
        stale=Count("pk", filter=Q(review_by__lt=today)),
        due_soon=Count("pk", filter=Q(review_by__gte=today)),
    )
    return ReviewCounts(
        stale=counts["stale"] or 0, due_soon=counts["due_soon"] or 0, warning_days=warning_days
    )


def latest_review_confirmations(page_ids) -> dict[int, ReviewConfirmation]:
    """The newest confirmation of each of the given info blocks, by page id."""
    latest: dict[int, ReviewConfirmation] = {}
    confirmations = (
        ReviewConfirmation.objects.filter(page_id__in=list(page_ids))
        .select_related("confirmed_by")
        .order_by("page_id", "-confirmed_at", "-pk")
    )
    for confirmation in confirmations:
        latest.setdefault(confirmation.page_id, confirmation)
    return latest


def user_display_name(user) -> str:
    """A person's full name, or their user name when no name is set."""
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


def info_block_owner_label(page: InfoBlockPage) -> str:
    """How readers see a block's owner: the role of their contact entry, else their name."""
    owner = page.owner_user
    if owner is None:
        return ""
    if owner.email:
        contact = (
            Contact.objects.filter(email__iexact=owner.email).exclude(role="").only("role").first()
        )
        if contact is not None:
            return contact.role
    return owner.get_full_name().strip()


def info_block_last_reviewed(page: InfoBlockPage) -> datetime.date | None:
    """When the block was last confirmed as valid, or else last published."""
    confirmation = page.review_confirmations.only("confirmed_at").first()
    moment = confirmation.confirmed_at if confirmation else page.last_published_at
    return timezone.localtime(moment).date() if moment else None
