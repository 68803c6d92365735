"""Demo pages carry the dates of their story, not the moment the demo was loaded."""

from __future__ import annotations

import datetime

from django.utils import timezone
from wagtail.models import Page, Revision

# The hour a demo page dated by its day went out.
PUBLISHED_AT = datetime.time(9, 0)


def story_moment(when: datetime.date | datetime.datetime) -> datetime.datetime:
    """A day as the moment of publishing on it (9:00 local time); a moment stays itself."""
    if isinstance(when, datetime.datetime):
        return when if timezone.is_aware(when) else timezone.make_aware(when)
    return timezone.make_aware(datetime.datetime.combine(when, PUBLISHED_AT))


def date_page(page: Page, when: datetime.date | datetime.datetime) -> None:
    """Date a just-published demo page, and its live revision, to `when` of its story.

    Feeds, the sitemap, "last changed" notes and the admin's history then show the story's
    date, so pages published on different days of the story differ.
    """
    moment = story_moment(when)
    Page.objects.filter(pk=page.pk).update(
        first_published_at=moment,
        last_published_at=moment,
        latest_revision_created_at=moment,
    )
    revision_id = Page.objects.filter(pk=page.pk).values_list("live_revision_id", flat=True)[0]
    if revision_id:
        Revision.objects.filter(pk=revision_id).update(created_at=moment)
    page.first_published_at = page.last_published_at = moment
    page.latest_revision_created_at = moment


# The portal went live this many days before the demo's today: the pages that frame the
# content (home, news index, catalog, lifecycle, board) carry this date.
LAUNCH_DAYS_AGO = 400  # before the first survey wave (vitrine.surveys.demo.WAVES)


def launch_day(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) - datetime.timedelta(days=LAUNCH_DAYS_AGO)


GERMAN_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


def german_date(day: datetime.date) -> str:
    """2 September 2026 as "2. September 2026"."""
    return f"{day.day}. {GERMAN_MONTHS[day.month - 1]} {day.year}"


# The key users' open hour: every first Thursday of the month. The first one took place
# about this many days before the demo's today; the board and the news name its date.
KEY_USER_FIRST_SESSION_ABOUT = 55
KEY_USER_FIRST_ATTENDANCE = 23
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def first_thursday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(3 - first.weekday()) % 7)


def key_user_first_session(today: datetime.date | None = None) -> datetime.date:
    """The first key-user open hour: the first Thursday of the month about 55 days ago, so
    that it is 49 to 85 days ago and stays among the board's recently done items (90 days)."""
    about = (today or timezone.localdate()) - datetime.timedelta(days=KEY_USER_FIRST_SESSION_ABOUT)
    return first_thursday(about.year, about.month)


def key_user_next_session(after: datetime.date) -> datetime.date:
    """The first key-user open hour on or after a day."""
    this_month = first_thursday(after.year, after.month)
    if this_month >= after:
        return this_month
    month = after.month % 12 + 1
    return first_thursday(after.year + (month == 1), month)


def german_weekday_date(day: datetime.date) -> str:
    """3 December 2026 as "Donnerstag, 3. Dezember 2026"."""
    return f"{WEEKDAYS[day.weekday()]}, {german_date(day)}"


def adobe_switch_day(today: datetime.date | None = None) -> datetime.date:
    """The Monday Adobe Acrobat moves to named-user licences: at least four days ahead, so
    the News Flash announcing it is shown before and after it."""
    today = today or timezone.localdate()
    days = (7 - today.weekday()) % 7
    return today + datetime.timedelta(days=days if days >= 4 else days + 7)


QUARTER_NAMES = ("ersten", "zweiten", "dritten", "vierten")


def quarter_after(day: datetime.date) -> str:
    """The quarter after the one a day is in, as a text says it: "ersten Quartal 2027"."""
    quarter = (day.month - 1) // 3 + 1
    year = day.year + (quarter == 4)
    return f"{QUARTER_NAMES[quarter % 4]} Quartal {year}"


def quarter_before(day: datetime.date) -> tuple[str, str]:
    """The quarter before the one a day is in: ("dritte Quartal 2026", "dritten Quartal 2026")."""
    quarter = (day.month - 1) // 3  # 0 is the first; the one before is quarter - 1
    year = day.year - (quarter == 0)
    name = QUARTER_NAMES[(quarter - 1) % 4]
    return f"{name[:-1]} Quartal {year}", f"{name} Quartal {year}"
