"""Reads of the software catalog: search, the filtered listing, one entry."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When
from wagtail.search.backends import get_search_backend

from vitrine.audiences.models import Audience
from vitrine.audiences.selectors import audience_filter

from .models import CatalogCategory, CatalogEntry

# A catalog has hundreds of entries, not millions: ranking this many is cheap and
# enough for every query a reader types.
SEARCH_LIMIT = 500
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12


def _entries() -> QuerySet[CatalogEntry]:
    return CatalogEntry.objects.select_related("category").prefetch_related("audiences")


def search_text(query: str) -> str:
    """The words of a reader's query, ready for the search backend ("" if none)."""
    # Only words reach the backend: quotes, stars and brackets are syntax to SQLite's FTS5
    # and PostgreSQL's tsquery and would turn a reader's typing into an error.
    return " ".join(re.findall(r"\w+", (query or "")[:MAX_QUERY_LENGTH])[:MAX_TERMS])


def catalog_search_pks(
    query: str, *, limit: int = SEARCH_LIMIT, operator: str = "and"
) -> list[int]:
    """Primary keys of entries matching `query`, best first.

    Whole words first (Wagtail search over product, vendor, description, benefit and
    category name), then partial matches of product and vendor names ("Acro" finds
    Acrobat), because readers type the beginning of a name they half remember.
    """
    query = search_text(query)
    if not query:
        return []
    backend = get_search_backend()
    pks: list[int] = []
    seen: set[int] = set()
    found = backend.search(query, CatalogEntry.objects.all(), operator=operator)[:limit]
    partial = backend.autocomplete(query, CatalogEntry.objects.all())[:limit]
    for results in (found, partial):
        for entry in results:
            if entry.pk not in seen:
                seen.add(entry.pk)
                pks.append(entry.pk)
    return pks[:limit]


def _in_order(queryset: QuerySet[CatalogEntry], pks: list[int]) -> QuerySet[CatalogEntry]:
    if not pks:
        return queryset.none()
    position = Case(
        *[When(pk=pk, then=Value(i)) for i, pk in enumerate(pks)],
        output_field=IntegerField(),
    )
    return (
        queryset.filter(pk__in=pks).annotate(search_position=position).order_by("search_position")
    )


def catalog_search_entries(query: str, *, operator: str = "and") -> list[CatalogEntry]:
    """Entries matching `query` via Wagtail search, best first (used by the portal search).

    With `operator="or"` an entry needs only one of the words.
    """
    return list(_in_order(_entries(), catalog_search_pks(query, operator=operator)))


def meant_for(queryset: QuerySet[CatalogEntry], audiences: Sequence[Audience]):
    """Restrict to entries for any of `audiences`, for everyone, or with no audience at all."""
    # A subquery instead of a join with DISTINCT keeps the caller's ordering intact on
    # every database.
    return queryset.filter(
        pk__in=CatalogEntry.objects.filter(audience_filter(audiences)).values("pk")
    )


@dataclass
class CatalogListing:
    """The entries a reader asked for, and how many more exist for other audiences."""

    entries: QuerySet[CatalogEntry]
    hidden_count: int
    all_audiences: bool


def catalog_listing(
    *,
    query: str = "",
    category: CatalogCategory | None = None,
    how_to_get: str = "",
    audiences: Sequence[Audience] | None = None,
    all_audiences: bool = False,
) -> CatalogListing:
    """The catalog filtered by search text, category and how-to-get, for the reader.

    With `audiences` given and `all_audiences` off, only entries meant for those audiences
    (or for everyone) are listed; `hidden_count` says how many matching entries that leaves
    out, so the page can offer them.
    """
    entries = _entries()
    if category is not None:
        entries = entries.filter(category=category)
    if how_to_get:
        entries = entries.filter(how_to_get=how_to_get)
    if search_text(query):
        entries = _in_order(entries, catalog_search_pks(query))
    else:
        entries = entries.order_by("category__order", "category__name", "product", "vendor")
    hidden_count = 0
    if audiences is not None and not all_audiences:
        everything = entries.count()
        entries = meant_for(entries, audiences)
        hidden_count = everything - entries.count()
    return CatalogListing(entries=entries, hidden_count=hidden_count, all_audiences=all_audiences)


def catalog_entry_by_slug(slug: str) -> CatalogEntry | None:
    """One entry with what its detail page shows, or None."""
    return (
        CatalogEntry.objects.select_related("category")
        .prefetch_related("audiences", "alternatives", "alternative_for")
        .filter(slug=slug)
        .first()
    )


def catalog_categories() -> QuerySet[CatalogCategory]:
    """Categories in their order, for filters and the admin."""
    return CatalogCategory.objects.order_by("order", "name")


def promised_lead_times():
    """Product and typical lead time (working days) of every entry that states one, as a
    polars frame for the figures (which match products by name and keep the longer promise)."""
    import polars as pl

    rows = CatalogEntry.objects.filter(lead_time_days__isnull=False).values_list(
        "product", "lead_time_days"
    )
    return pl.DataFrame(
        list(rows), schema={"product": pl.String, "lead_time_days": pl.Int64}, orient="row"
    )
