"""Reads of the portal: what a reader sees now."""

import datetime

from django.utils import timezone

from .models import InfoBlockPage, NewsFlash


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
