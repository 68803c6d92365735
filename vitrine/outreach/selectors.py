"""Reads of outreach: what the Atom feeds carry for an audience."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from vitrine.audiences.models import Audience
from vitrine.audiences.selectors import for_audiences
from vitrine.excerpts.models import TopicExcerptPage
from vitrine.portal.links import absolute_url, page_url, root_host
from vitrine.portal.models import CorporateDesign, InfoBlockPage, NewsFlash, NewsPage

FEED_LIMIT = 50
# A News Flash stays in the feeds this long after it started, so a feed reader that
# polls rarely still learns about a short notice that has already ended.
FLASH_LOOKBACK_DAYS = 60


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed, whatever it was made from."""

    title: str
    link: str
    summary_html: str
    published: datetime.datetime
    updated: datetime.datetime
    guid: str
    categories: tuple[str, ...]
    author: str


def feed_audience(slug: str) -> Audience | None:
    """The audience a feed slug names; "all" is the feed for everyone. None if unknown."""
    if slug == "all":
        return Audience.objects.everyone()
    return Audience.objects.filter(slug=slug).first()


def tag_uri(authority: str, when: datetime.datetime, specific: str) -> str:
    """An RFC 4151 tag URI: stable across renames of pages and moves of the portal to
    another path; `authority` is the host name of the configured root URL."""
    day = when.astimezone(datetime.UTC).date()
    return f"tag:{authority},{day:%Y-%m-%d}:{specific}"


def feed_entries(
    *,
    audience: Audience | None,
    request: HttpRequest,
    site: Site | None,
    now: datetime.datetime | None = None,
    limit: int = FEED_LIMIT,
) -> list[FeedEntry]:
    """What is meant for `audience` (None: only what is meant for everyone), newest first.

    Live public news and topic excerpts, News Flashes that are active or started in the
    last 60 days, and the latest change of each live info block.
    """
    now = now or timezone.now()
    audiences = [audience] if audience is not None else []
    common = {
        "authority": root_host(),
        "everyone_name": _everyone_name(),
        "author": feed_author(site),
        "limit": limit,
    }
    entries: list[FeedEntry] = []
    entries.extend(_news_entries(audiences, request, **common))
    entries.extend(_excerpt_entries(audiences, request, **common))
    entries.extend(_survey_results_entries(audiences, request, **common))
    entries.extend(_flash_entries(audiences, now, home_url(request, site), **common))
    entries.extend(_info_block_entries(audiences, request, **common))
    entries.sort(key=lambda e: (e.updated, e.guid), reverse=True)
    return entries[:limit]


def feed_author(site: Site | None) -> str:
    """The company named as author of everything the portal publishes."""
    design = CorporateDesign.for_site(site) if site else CorporateDesign()
    return design.company_name


def _everyone_name() -> str:
    everyone = Audience.objects.everyone()
    return everyone.name if everyone else _("Everyone")


def home_url(request: HttpRequest, site: Site | None) -> str:
    """The absolute address of the site's home page on the configured root URL."""
    url = page_url(site.root_page, request) if site is not None else ""
    return url or absolute_url("/")


def _categories(item, everyone_name: str) -> tuple[str, ...]:
    names = tuple(a.name for a in item.audiences.all())
    return names or (everyone_name,)


def _summary(text: str, benefit: str) -> str:
    """HTML for the entry's summary: the benefit leads, then the teaser."""
    parts = []
    if benefit:
        parts.append(format_html("<p><strong>{}</strong> {}</p>", _("Your benefit:"), benefit))
    if text:
        parts.append(format_html_join("", "<p>{}</p>", ((p,) for p in text.split("\n\n") if p)))
    return "".join(parts)


def _live_pages(model: type[Page], audiences: list[Audience]):
    pages = model.objects.live().public().filter(last_published_at__isnull=False)
    return for_audiences(pages, audiences).prefetch_related("audiences")


def _page_entries(
    pages, request, *, kind, title, text, targeted, authority, everyone_name, author
) -> list[FeedEntry]:
    """Feed entries for published pages: `title`, `text` and `targeted` (what carries the
    audiences) are read from each page; `kind` keeps the ids of different page types apart."""
    entries = []
    for page in pages:
        url = page_url(page, request)
        if not url or targeted(page) is None:
            continue
        published = page.first_published_at or page.last_published_at
        entries.append(
            FeedEntry(
                title=title(page),
                link=url,
                summary_html=_summary(text(page), page.benefit),
                published=published,
                updated=max(page.last_published_at, published),
                guid=tag_uri(authority, published, f"{kind}/{page.pk}"),
                categories=_categories(targeted(page), everyone_name),
                author=author,
            )
        )
    return entries


def _news_entries(audiences, request, *, limit, **common) -> list[FeedEntry]:
    news = _live_pages(NewsPage, audiences).order_by("-last_published_at")[:limit]
    return _page_entries(
        news,
        request,
        kind="news",
        title=lambda page: page.title,
        text=lambda page: page.teaser,
        targeted=lambda page: page,
        **common,
    )


def _excerpt_entries(audiences, request, *, limit, **common) -> list[FeedEntry]:
    excerpts = _live_pages(TopicExcerptPage, audiences).order_by("-last_published_at")[:limit]
    return _page_entries(
        excerpts,
        request,
        kind="excerpt",
        title=lambda page: _("Topic excerpt: %(title)s") % {"title": page.title},
        text=lambda page: page.intro,
        targeted=lambda page: page,
        **common,
    )


def _survey_results_entries(audiences, request, *, limit, **common) -> list[FeedEntry]:
    """Published survey results, for the audiences of their survey."""
    from vitrine.surveys.selectors import results_pages_for

    return _page_entries(
        results_pages_for(audiences, limit=limit),
        request,
        kind="survey-results",
        title=lambda page: _("Survey results: %(title)s") % {"title": page.title},
        text=lambda page: page.survey.intro,
        targeted=lambda page: page.survey,
        **common,
    )


def _flash_entries(
    audiences, now, home_url, *, authority, everyone_name, author, limit
) -> list[FeedEntry]:
    since = now - datetime.timedelta(days=FLASH_LOOKBACK_DAYS)
    flashes = (
        NewsFlash.objects.filter(starts_at__lte=now)
        .filter(Q(ends_at__gt=now) | Q(starts_at__gte=since))
        .for_audiences(audiences)
        .select_related("link_page")
        .prefetch_related("audiences")
        .order_by("-starts_at")[:limit]
    )
    entries = []
    for flash in flashes:
        # Editing a flash before it starts must not date it back into the past.
        updated = max(flash.starts_at, flash.updated_at or flash.starts_at)
        entries.append(
            FeedEntry(
                title=flash.title,
                link=_flash_link(flash) or home_url,
                summary_html=_summary(flash.text, ""),
                published=flash.starts_at,
                updated=updated,
                guid=tag_uri(authority, flash.created_at or flash.starts_at, f"flash/{flash.pk}"),
                categories=_categories(flash, everyone_name),
                author=author,
            )
        )
    return entries


def _flash_link(flash: NewsFlash) -> str:
    """Where a flash leads: its live page on the root URL, else its own address."""
    if flash.link_page_id and flash.link_page.live:
        return page_url(flash.link_page)
    return absolute_url(flash.link_url) if flash.link_url else ""


def _info_block_entries(
    audiences, request, *, authority, everyone_name, author, limit
) -> list[FeedEntry]:
    entries = []
    blocks = _live_pages(InfoBlockPage, audiences).order_by("-last_published_at")[:limit]
    for page in blocks:
        url = page_url(page, request)
        if not url:
            continue
        changed = page.last_published_at
        stamp = changed.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%S.%f")
        entries.append(
            FeedEntry(
                title=_("Updated: %(title)s") % {"title": page.title},
                link=url,
                summary_html=_summary(page.summary, page.benefit),
                published=changed,
                updated=changed,
                # One entry per change: a new publication is news to the feed reader.
                guid=tag_uri(authority, changed, f"info-block/{page.pk}/{stamp}"),
                categories=_categories(page, everyone_name),
                author=author,
            )
        )
    return entries
