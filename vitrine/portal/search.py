"""Portal search: Wagtail search over pages and catalog entries, audience-aware."""

import html
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from wagtail.blocks import StreamValue
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search import index
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import normalise_query_string
from wagtail.signals import page_published

from vitrine.audiences.selectors import audience_filter, audiences_for_request

from .models import LifecyclePage

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
MAX_RESULTS_PER_SOURCE = 200
SNIPPET_LENGTH = 240
# Reciprocal rank fusion: pages and catalog entries come from two searches whose raw
# scores do not compare (and differ in sign between SQLite's bm25 and PostgreSQL's
# ts_rank), so each result counts by its rank in its own list. 60 is the usual constant.
RANK_CONSTANT = 60
TITLE_MATCH_BOOST = 2.0

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_WORD = re.compile(r"\w+")
# Where an excerpt may come from, in the order a reader would want to see it.
_TEXT_ATTRIBUTES = (
    "teaser",
    "summary",
    "description",
    "benefit",
    "search_description",
    "intro",
    "body",
    "how_to_request",
)


@dataclass(frozen=True)
class SearchHit:
    """One result as the reader sees it: highlighted title and excerpt, where it leads."""

    title: SafeString
    url: str
    kind: str
    excerpt: SafeString
    score: float
    promoted: bool = False
    for_other_audiences: bool = False


@dataclass(frozen=True)
class SearchOutcome:
    """The results of one search, after the audience filter."""

    hits: list[SearchHit] = field(default_factory=list)
    hidden_count: int = 0
    matched_all_terms: bool = True

    @property
    def count(self) -> int:
        return len(self.hits)


def clean_query(raw: str) -> str:
    """The query as typed, without control characters (PostgreSQL refuses NUL), cut short."""
    return " ".join(_CONTROL_CHARACTERS.sub(" ", raw or "").split())[:MAX_QUERY_LENGTH]


def query_terms(query: str) -> list[str]:
    """The words of a query, without the punctuation that search syntaxes give meaning to."""
    terms: list[str] = []
    for term in _WORD.findall(query):
        if term.lower() not in (t.lower() for t in terms):
            terms.append(term)
    return terms[:MAX_TERMS]


def highlight(text: str, query: str, length: int | None = None) -> SafeString:
    """Escape `text`, cut it around the first match and wrap every query term in <mark>."""
    # Block tags become spaces first, so that "</li><li>" does not glue two words together.
    text = re.sub(r"<[^>]*>", " ", str(text or ""))
    text = re.sub(r"\s+", " ", html.unescape(strip_tags(text))).strip()
    terms = [t for t in query_terms(query) if len(t) > 1] or query_terms(query)
    pattern = (
        re.compile(
            "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE
        )
        if terms
        else None
    )
    prefix = suffix = ""
    if length and len(text) > length:
        first_match = pattern.search(text) if pattern else None
        start = max(0, first_match.start() - length // 3) if first_match else 0
        if start:
            # Start the excerpt at a word, not in the middle of one.
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < start + 20 else start
            prefix = "… "
        end = start + length
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start + length // 2 else end
            suffix = " …"
        text = text[start:end]
    parts = [escape(prefix)]
    position = 0
    if pattern:
        # Match on the raw text and escape each piece: matching on escaped text would
        # find "amp" inside "&amp;" and break the entity.
        for match in pattern.finditer(text):
            parts.append(escape(text[position : match.start()]))
            parts.append(format_html("<mark>{}</mark>", match.group(0)))
            position = match.end()
    parts.append(escape(text[position:]))
    parts.append(escape(suffix))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def search_portal(
    request: HttpRequest, query: str, *, all_audiences: bool = False
) -> SearchOutcome:
    """Pages and catalog entries matching `query`, best first, for the reader's audiences.

    Results meant only for other audiences are counted but left out unless
    `all_audiences` is set; then they are kept and marked.
    """
    from vitrine.catalog.selectors import catalog_search_entries

    terms = query_terms(query)
    if not terms:
        return SearchOutcome()
    # Only words reach the search backend: quotes, stars and brackets mean syntax to
    # SQLite's FTS5 and PostgreSQL's tsquery, and must not turn into errors.
    search_text = " ".join(terms)

    pages = _search_pages(search_text, operator="and")
    entries = catalog_search_entries(search_text)[:MAX_RESULTS_PER_SOURCE]
    items = _search_improvements(search_text, operator="and")
    matched_all_terms = True
    if not pages and not entries and not items and len(terms) > 1:
        # Nothing has every word: fall back to anything with some of them, and say so.
        pages = _search_pages(search_text, operator="or")
        entries = catalog_search_entries(search_text, operator="or")[:MAX_RESULTS_PER_SOURCE]
        items = _search_improvements(search_text, operator="or")
        matched_all_terms = False
    promoted = _promoted_pages(query)

    audiences = audiences_for_request(request)
    meant_for_reader = _meant_for(pages + entries + items + promoted, audiences)

    scored: list[tuple[float, object, bool]] = []
    seen: set[tuple[type, object]] = set()
    for obj in promoted:
        seen.add(_key(obj))
        scored.append((float("inf"), obj, True))
    for results in (pages, entries, items):
        for rank, obj in enumerate(results, start=1):
            if _key(obj) in seen:
                continue
            seen.add(_key(obj))
            score = 1.0 / (RANK_CONSTANT + rank)
            if _all_terms_in(_title_of(obj), terms):
                score *= TITLE_MATCH_BOOST
            scored.append((score, obj, False))
    # Stable across databases: ties keep their source order (pages before entries).
    scored.sort(key=lambda item: item[0], reverse=True)

    hits: list[SearchHit] = []
    hidden = 0
    for score, obj, is_promoted in scored:
        for_reader = _key(obj) in meant_for_reader
        if not for_reader and not all_audiences:
            hidden += 1
            continue
        hit = _hit(obj, request, query, score, promoted=is_promoted, for_reader=for_reader)
        if hit is not None:
            hits.append(hit)
    return SearchOutcome(hits=hits, hidden_count=hidden, matched_all_terms=matched_all_terms)


def _search_pages(search_text: str, *, operator: str) -> list:
    results = (
        Page.objects.live()
        .public()
        .filter(depth__gt=1)
        .specific()
        .search(search_text, operator=operator)
    )
    return list(results[:MAX_RESULTS_PER_SOURCE])


def _search_improvements(search_text: str, *, operator: str) -> list:
    """Items of the board "Woran wir arbeiten" (none without a live board to link to)."""
    from vitrine.improvements.models import ImprovementItem
    from vitrine.improvements.selectors import board_page

    if board_page() is None:
        return []
    results = get_search_backend().search(
        search_text, ImprovementItem.objects.all(), operator=operator
    )
    return list(results[:MAX_RESULTS_PER_SOURCE])


def _promoted_pages(query: str) -> list:
    """Live public pages the editors promoted for exactly this query, in their order."""
    page_ids = list(
        SearchPromotion.objects.filter(
            query__query_string=normalise_query_string(query), page__isnull=False
        )
        .order_by("sort_order")
        .values_list("page_id", flat=True)
    )
    if not page_ids:
        return []
    pages = {p.pk: p for p in Page.objects.live().public().filter(pk__in=page_ids).specific()}
    return [pages[pk] for pk in page_ids if pk in pages]


def _key(obj) -> tuple[type, object]:
    return (type(obj), obj.pk)


def _meant_for(objects: list, audiences) -> set[tuple[type, object]]:
    """Keys of the objects meant for `audiences`, one query per model that has audiences."""
    by_model: dict[type, list] = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(obj.pk)
    allowed: set[tuple[type, object]] = set()
    for model, pks in by_model.items():
        try:
            model._meta.get_field("audiences")
        except FieldDoesNotExist:
            # Content without audiences (the home page, the catalog page) is for everyone.
            allowed.update((model, pk) for pk in pks)
            continue
        matching = (
            model._default_manager.filter(pk__in=pks)
            .filter(audience_filter(audiences))
            .values_list("pk", flat=True)
            .distinct()
        )
        allowed.update((model, pk) for pk in matching)
    return allowed


def _all_terms_in(text: str, terms: list[str]) -> bool:
    lowered = text.lower()
    return all(term.lower() in lowered for term in terms)


def _title_of(obj) -> str:
    return obj.title if isinstance(obj, Page) else str(obj)


def _texts_of(obj) -> Iterator[str]:
    """The texts of `obj` in reading order, made one by one: the first match ends the walk."""
    for attribute in _TEXT_ATTRIBUTES:
        value = getattr(obj, attribute, "")
        if isinstance(value, StreamValue):
            # The words the search index holds, not the rendered blocks (charts, queries).
            value = " ".join(value.stream_block.get_searchable_content(value))
        if value:
            yield str(value)
    if isinstance(obj, LifecyclePage):
        # The lifecycle is found through its stages; show the stage that matched.
        for stage in obj.ordered_stages:
            yield f"{stage.title}: {stage.what_happens} {stage.speed_up}"


def _excerpt_text(obj, terms: list[str]) -> str:
    """The first text of `obj` that contains a query word, else its first text."""
    lowered = [t.lower() for t in terms]
    first = ""
    for text in _texts_of(obj):
        first = first or text
        plain = strip_tags(text).lower()
        if any(term in plain for term in lowered):
            return text
    return first


def _hit(obj, request, query, score, *, promoted, for_reader) -> SearchHit | None:
    url = obj.get_url(request=request) if isinstance(obj, Page) else obj.get_url(request)
    if not url:
        return None  # a page outside every site cannot be visited
    return SearchHit(
        title=highlight(_title_of(obj), query),
        url=url,
        kind=capfirst(str(obj._meta.verbose_name)),
        excerpt=highlight(_excerpt_text(obj, query_terms(query)), query, SNIPPET_LENGTH),
        score=score,
        promoted=promoted,
        for_other_audiences=not for_reader,
    )


@receiver(page_published, dispatch_uid="vitrine.portal.search.reindex_published_page")
def reindex_published_page(sender, instance: Page, **kwargs) -> None:
    """Index a page again once publishing has stored its child objects.

    The index update that the page's own save enqueues runs before a ClusterableModel
    saves its children, so the stages of a lifecycle page would stay unsearchable until
    the next publication.
    """
    index.insert_or_update_object(instance.specific)
