"""Portal search: Wagtail search over pages and catalog entries, audience-aware."""

import re
from dataclasses import dataclass

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from vitrine.audiences.selectors import audiences_for_request

MAX_RESULTS = 50
SNIPPET_LENGTH = 240


@dataclass
class SearchHit:
    title: SafeString
    url: str
    kind: str
    excerpt: SafeString


def _terms(query: str) -> list[str]:
    return [t for t in re.split(r"\W+", query) if len(t) > 1][:10]


def highlight(text: str, query: str, length: int | None = None) -> SafeString:
    """Escape `text`, cut it around the first match and wrap every query term in <mark>."""
    text = re.sub(r"\s+", " ", strip_tags(text or "")).strip()
    terms = _terms(query)
    if length and len(text) > length:
        first = min(
            (m.start() for t in terms if (m := re.search(re.escape(t), text, re.IGNORECASE))),
            default=0,
        )
        start = max(0, first - length // 3)
        text = ("… " if start else "") + text[start : start + length] + " …"
    escaped = escape(text)
    if terms:
        pattern = re.compile("|".join(re.escape(escape(t)) for t in terms), re.IGNORECASE)
        escaped = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    return mark_safe(escaped)  # noqa: S308 - built from escaped text only


def _page_text(page) -> str:
    for attr in ("teaser", "summary", "search_description", "intro", "body"):
        value = getattr(page, attr, "")
        if value:
            return str(value)
    return ""


def _is_for(item, audience_pks: set[int]) -> bool:
    audiences = getattr(item, "audiences", None)
    if audiences is None:
        return True
    own = list(audiences.all())
    return not own or any(a.is_everyone or a.pk in audience_pks for a in own)


def search_portal(request, query: str, *, all_audiences: bool = False) -> list[SearchHit]:
    """Pages and catalog entries matching `query`, best first, for the reader's audiences."""
    from vitrine.catalog.selectors import catalog_search_entries

    audience_pks = {a.pk for a in audiences_for_request(request)}
    hits: list[SearchHit] = []
    pages = Page.objects.live().public().specific().search(query)[:MAX_RESULTS]
    for page in pages:
        if page.depth <= 1 or (not all_audiences and not _is_for(page, audience_pks)):
            continue
        hits.append(
            SearchHit(
                title=highlight(page.title, query),
                url=page.get_url(request=request) or "",
                kind=str(page.specific_class._meta.verbose_name),
                excerpt=highlight(_page_text(page), query, SNIPPET_LENGTH),
            )
        )
    for entry in catalog_search_entries(query)[:MAX_RESULTS]:
        if not all_audiences and not _is_for(entry, audience_pks):
            continue
        hits.append(
            SearchHit(
                title=highlight(str(entry), query),
                url=entry.get_url(request),
                kind=str(entry._meta.verbose_name),
                excerpt=highlight(entry.description, query, SNIPPET_LENGTH),
            )
        )
    return hits
