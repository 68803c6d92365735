"""Portal search: Wagtail search over pages and catalog entries, audience-aware."""

import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.functions import Length
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
from wagtail.search.models import IndexEntry
from wagtail.search.query import And, Or, PlainText, SearchQuery
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
# Word beginnings ("Bild" for "Bildbearbeitung") only from this length on: "a" would
# match nearly every entry.
MIN_PREFIX_LENGTH = 3
# Fewer results than this, and the search also tries corrected spellings and words that
# contain a query word ("Adbe" → "Adobe", "Antrag" → "beantragen").
FEW_RESULTS = 3
MIN_CORRECTION_LENGTH = 4
MAX_CORRECTIONS = 5
MAX_CORRECTED_TERMS = 5
MAX_VOCABULARY = 50_000
VOCABULARY_CACHE_SECONDS = 3600
TRIGRAM_THRESHOLD = 0.4
TRIGRAM_CANDIDATES = 50
# German spellings without umlaut keys: "Loeschung" is "Löschung", "Strasse" is "Straße".
_UMLAUT_SPELLINGS = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"), ("ss", "ß"))
_NO_UMLAUTS = str.maketrans("äöü", "aou")
# Plural and case endings, longest first: "Lizenzen", "Anträge", "Bildern", "Vertrags",
# and the verb endings of "beantragt", "beantragte", "beantragten". Each with the length
# its stem keeps at least: a verb ending only comes off a long word, so that "Rechte"
# stays "recht" and does not find "Rechnung".
MIN_STEM_LENGTH = 4
MIN_VERB_STEM_LENGTH = 6
_ENDINGS = (
    ("ern", MIN_STEM_LENGTH),
    ("ten", MIN_VERB_STEM_LENGTH),
    ("en", MIN_STEM_LENGTH),
    ("er", MIN_STEM_LENGTH),
    ("es", MIN_STEM_LENGTH),
    ("te", MIN_VERB_STEM_LENGTH),
    ("e", MIN_STEM_LENGTH),
    ("n", MIN_STEM_LENGTH),
    ("s", MIN_STEM_LENGTH),
    ("t", MIN_VERB_STEM_LENGTH),
)
MAX_SPELLINGS = 8

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# Letters and digits; the underscore is a separator to the search backends.
_WORD = re.compile(r"[^\W_]+")


def _pages() -> QuerySet:
    return Page.objects.live().public().filter(depth__gt=1).specific()


def _catalog_entries() -> QuerySet:
    from vitrine.catalog.models import CatalogEntry

    return CatalogEntry.objects.select_related("category").prefetch_related("audiences")


# What the portal search covers, in the order ties are shown: each source is a queryset
# of things a reader may open, searched through the Wagtail index. A model added here
# needs search_fields (with AutocompleteFields for word beginnings) and get_url().
def _improvement_items() -> QuerySet:
    """Items of the board "Woran wir arbeiten" (none without a live board to link to)."""
    from vitrine.improvements.models import ImprovementItem
    from vitrine.improvements.selectors import board_page

    if board_page() is None:
        return ImprovementItem.objects.none()
    return ImprovementItem.objects.all()


SOURCES: list[Callable[[], QuerySet]] = [_pages, _catalog_entries, _improvement_items]
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
    return _words(query)[:MAX_TERMS]


def _words(text: str) -> list[str]:
    words: dict[str, str] = {}
    for word in _WORD.findall(text):
        words.setdefault(word.lower(), word)
    return list(words.values())


def highlight(text: str, query: str, length: int | None = None) -> SafeString:
    """Escape `text`, cut it around the first match and wrap every query term in <mark>."""
    # Block tags become spaces first, so that "</li><li>" does not glue two words together.
    text = re.sub(r"<[^>]*>", " ", str(text or ""))
    text = re.sub(r"\s+", " ", html.unescape(strip_tags(text))).strip()
    terms = [t for t in _words(query) if len(t) > 1] or _words(query)
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
    terms = query_terms(query)
    if not terms:
        return SearchOutcome()
    # Only words reach the search backend: quotes, stars and brackets mean syntax to
    # SQLite's FTS5 and PostgreSQL's tsquery, and must not turn into errors.
    groups = [spellings(term) for term in terms]
    found = _find(groups, operator="and")
    if sum(len(results) for results in found) < FEW_RESULTS:
        # Little or nothing: also try what the reader probably meant.
        wider = [
            group + corrections(group) if position < MAX_CORRECTED_TERMS else group
            for position, group in enumerate(groups)
        ]
        if wider != groups:
            groups = wider
            found = _merged(found, _find(groups, operator="and"))
    matched_all_terms = True
    if not any(found) and len(terms) > 1:
        # Nothing has every word: fall back to anything with some of them, and say so.
        found = _find(groups, operator="or")
        matched_all_terms = False
    promoted = _promoted_pages(query)
    words = " ".join(word for group in groups for word in group)

    audiences = audiences_for_request(request)
    meant_for_reader = _meant_for(
        [obj for results in found for obj in results] + promoted, audiences
    )

    scored: list[tuple[float, object, bool]] = []
    seen: set[tuple[type, object]] = set()
    for obj in promoted:
        seen.add(_key(obj))
        scored.append((float("inf"), obj, True))
    for results in found:
        for rank, obj in enumerate(results, start=1):
            if _key(obj) in seen:
                continue
            seen.add(_key(obj))
            score = 1.0 / (RANK_CONSTANT + rank)
            if _all_groups_in(_title_of(obj), groups):
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
        hit = _hit(obj, request, words, score, promoted=is_promoted, for_reader=for_reader)
        if hit is not None:
            hits.append(hit)
    return SearchOutcome(hits=hits, hidden_count=hidden, matched_all_terms=matched_all_terms)


def spellings(term: str) -> list[str]:
    """`term` in lower case, in its other German spellings and without its ending.

    "Loeschung" also reads "löschung", "Straße" also "strasse": readers without
    umlaut keys and texts written either way find each other. "Genehmigungen" also
    reads "genehmigung" and "Anträge" "anträg" and "antrag", which the search takes as
    word beginnings, so plural and inflected forms find the singular.
    """
    found = [term.lower()]
    for digraph, letter in _UMLAUT_SPELLINGS:
        for spelling in list(found):
            for old, new in ((digraph, letter), (letter, digraph)):
                if old in spelling and spelling.replace(old, new) not in found:
                    found.append(spelling.replace(old, new))
    for spelling in list(found):
        stem = _without_ending(spelling)
        for word in (stem, stem.translate(_NO_UMLAUTS)):
            if word not in found:
                found.append(word)
    return found[:MAX_SPELLINGS]


def _without_ending(word: str) -> str:
    """`word` without one German inflection ending, if enough of it stays."""
    for ending, min_stem in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= min_stem:
            return word[: -len(ending)]
    return word


def _backend_query(groups: list[list[str]], operator: str) -> SearchQuery:
    """Every group (one query word in its spellings) must match, or any with "or"."""
    parts = [Or([PlainText(word) for word in group]) for group in groups]
    return (And if operator == "and" else Or)(parts)


def _find(groups: list[list[str]], *, operator: str) -> list[list]:
    """Per source, whole-word matches first, then matches of word beginnings."""
    query = _backend_query(groups, operator)
    prefixes = all(len(word) >= MIN_PREFIX_LENGTH for group in groups for word in group)
    backend = get_search_backend()
    found = []
    for source in SOURCES:
        results = list(backend.search(query, source())[:MAX_RESULTS_PER_SOURCE])
        if prefixes:
            results += list(backend.autocomplete(query, source())[:MAX_RESULTS_PER_SOURCE])
        found.append(_unique(results)[:MAX_RESULTS_PER_SOURCE])
    return found


def _merged(first: list[list], then: list[list]) -> list[list]:
    return [_unique(a + b)[:MAX_RESULTS_PER_SOURCE] for a, b in zip(first, then, strict=True)]


def _unique(results: list) -> list:
    seen: set = set()
    unique = []
    for obj in results:
        if _key(obj) not in seen:
            seen.add(_key(obj))
            unique.append(obj)
    return unique


def _fold(word: str) -> str:
    """Lower case, umlauts as two letters, "ph" as "f", other accents dropped.

    "Löschung" → "loeschung"; "Fotoshop" and "Photoshop" fold alike, as "Grafik" and
    "Graphik" do.
    """
    word = word.lower()
    for digraph, letter in _UMLAUT_SPELLINGS:
        word = word.replace(letter, digraph)
    word = word.replace("ph", "f")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def corrections(group: list[str]) -> list[str]:
    """Indexed words a reader may have meant by the word spelled as in `group`.

    Words one typo away ("adbe" → "adobe") and words that contain it ("antrag" →
    "beantragen"), at most MAX_CORRECTIONS, none already in `group`. PostgreSQL ranks
    them by trigram similarity (pg_trgm); without it, and on SQLite, the indexed
    vocabulary is compared word by word.
    """
    typed = group[0]
    stem = _without_ending(typed).translate(_NO_UMLAUTS)
    similar = _similar_words_pg if _trigrams_available() else _similar_words
    candidates: list[str] = []
    for word in dict.fromkeys((typed, stem)):
        if len(word) >= MIN_CORRECTION_LENGTH:
            candidates += [c for c in similar(word) if c not in group and c not in candidates]
    return candidates[:MAX_CORRECTIONS]


def _similar_words(word: str) -> list[str]:
    return _likely_meant(word, _vocabulary())


def _likely_meant(word: str, candidates) -> list[str]:
    """Of `candidates` (word, folded word), those one typo away from `word`, then those
    that contain it, shortest first."""
    folded = _fold(word)
    close: list[str] = []
    containing: list[str] = []
    for candidate, other in candidates:
        if other == folded or _one_edit_apart(folded, other):
            close.append(candidate)
        elif folded in other:
            containing.append(candidate)
    return close + sorted(containing, key=len)


def _one_edit_apart(a: str, b: str) -> bool:
    """True if one letter inserted, deleted, replaced or two neighbours swapped turn a into b."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    prefix = 0
    while prefix < len(a) and a[prefix] == b[prefix]:
        prefix += 1
    if len(a) < len(b):
        return a[prefix:] == b[prefix + 1 :]
    if a[prefix + 1 :] == b[prefix + 1 :]:
        return True
    swapped = prefix + 1 < len(a) and a[prefix] == b[prefix + 1] and a[prefix + 1] == b[prefix]
    return swapped and a[prefix + 2 :] == b[prefix + 2 :]


def _index_text_fields() -> tuple[str, str]:
    # PostgreSQL keeps tsvectors in title and body, the plain text beside them.
    if connection.vendor == "postgresql":
        return "title_text", "body_text"
    return "title", "body"


def _vocabulary() -> list[tuple[str, str]]:
    """The words of the search index and their folded forms, cached until the index changes."""
    title, body = _index_text_fields()
    state = IndexEntry.objects.aggregate(
        count=Count("pk"), last=Max("pk"), size=Sum(Length(title) + Length(body))
    )
    key = "portal-search-vocabulary:{count}:{last}:{size}".format(**state)
    vocabulary = cache.get(key)
    if vocabulary is None:
        words: set[str] = set()
        for texts in IndexEntry.objects.values_list(title, body).iterator():
            for text in texts:
                words.update(w.lower() for w in _WORD.findall(text or "") if len(w) > 2)
            if len(words) >= MAX_VOCABULARY:
                break
        vocabulary = [(word, _fold(word)) for word in sorted(words)]
        cache.set(key, vocabulary, VOCABULARY_CACHE_SECONDS)
    return vocabulary


def _trigrams_available() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def _similar_words_pg(word: str) -> list[str]:
    """Words of the index whose trigrams resemble `word`, as `_likely_meant` ranks them."""
    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT word FROM (
                SELECT DISTINCT lower(word) AS word
                FROM {table},
                     regexp_split_to_table(title_text || ' ' || body_text, '[^[:alnum:]]+') AS word
                WHERE length(word) >= %s
            ) AS words
            WHERE word_similarity(%s, word) >= %s
            ORDER BY similarity(%s, word) DESC, length(word), word
            LIMIT %s
            """,  # noqa: S608 - the table name comes from the model, not the reader
            [MIN_CORRECTION_LENGTH - 1, word, TRIGRAM_THRESHOLD, word, TRIGRAM_CANDIDATES],
        )
        # Trigrams also call "eintrag" similar to "antrag": keep what a typo or a
        # compound explains, as on SQLite.
        return _likely_meant(word, ((row[0], _fold(row[0])) for row in cursor.fetchall()))


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


def _all_groups_in(text: str, groups: list[list[str]]) -> bool:
    lowered = text.lower()
    return all(any(word in lowered for word in group) for group in groups)


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
        excerpt=highlight(_excerpt_text(obj, _words(query)), query, SNIPPET_LENGTH),
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
