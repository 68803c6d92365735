"""Ids beyond what the database holds answer 404, whichever URL they come in through."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest

# The largest primary key a database holds (a signed 64-bit integer). Larger numbers make
# SQLite raise OverflowError and PostgreSQL refuse the query: a 500 for a typed URL.
MAX_ID = 2**63 - 1


def id_out_of_range(value: object) -> bool:
    """True for an integer that no row of the database can have as its id."""
    return isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= MAX_ID


class IdRangeMiddleware:
    """Answers 404 before the view runs when an integer part of the URL (Django's `<int:…>`,
    ours and Wagtail's alike) is beyond any id; the views need not check it themselves."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if any(id_out_of_range(value) for value in (*view_args, *view_kwargs.values())):
            raise Http404("No object has this id.")
        return None
