"""Reader views of the catalog page: the filtered listing and one entry's detail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest

from vitrine.audiences.selectors import audiences_for_request

from .choices import HowToGet
from .forms import CatalogFilterForm
from .selectors import catalog_entry_by_slug, catalog_listing

if TYPE_CHECKING:
    from .models import CatalogPage


def catalog_listing_context(page: CatalogPage, request: HttpRequest) -> dict[str, Any]:
    """Search, filters, the reader's audiences and one page of entries."""
    form = CatalogFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    filter_problems: list[str] = []
    if form.is_bound:
        form.is_valid()
        filters = form.cleaned_data
        # Only the fields with a bad value are dropped; the others still apply.
        for errors in form.errors.values():
            filter_problems.extend(errors)
    audiences = audiences_for_request(request)
    all_audiences = bool(filters.get("alle"))
    listing = catalog_listing(
        query=filters.get("q", ""),
        category=filters.get("kategorie"),
        how_to_get=filters.get("bezug", ""),
        audiences=audiences,
        all_audiences=all_audiences,
    )
    paginator = Paginator(listing.entries, max(page.per_page, 1))
    entries_page = paginator.get_page(request.GET.get("seite"))
    for entry in entries_page.object_list:
        entry.meant_for_reader = entry.is_for(audiences)
    return {
        "filter_form": form,
        "filter_problems": filter_problems,
        "search_query": filters.get("q", ""),
        "selected_category": filters.get("kategorie"),
        "reader_audiences_named": [a for a in audiences if not a.is_everyone],
        "all_audiences": all_audiences,
        "hidden_count": listing.hidden_count,
        "entries_page": entries_page,
        "page_range": paginator.get_elided_page_range(entries_page.number),
        "ellipsis": paginator.ELLIPSIS,
        "entry_count": paginator.count,
        "is_filtered": any(filters.get(key) for key in ("q", "kategorie", "bezug")),
        "how_to_get": HowToGet,
    }


def catalog_entry_context(page: CatalogPage, request: HttpRequest, slug: str) -> dict[str, Any]:
    """One entry with its alternatives; an unknown slug is a 404."""
    entry = catalog_entry_by_slug(slug)
    if entry is None:
        raise Http404("No catalog entry with this address.")
    audiences = audiences_for_request(request)
    return {
        "entry": entry,
        "meant_for_reader": entry.is_for(audiences),
        "alternatives": sorted(entry.alternatives.all(), key=lambda e: e.product.casefold()),
        "alternative_for": sorted(entry.alternative_for.all(), key=lambda e: e.product.casefold()),
        "how_to_get": HowToGet,
    }
