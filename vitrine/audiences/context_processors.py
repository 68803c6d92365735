"""Puts the reader's audiences into every template."""

from .selectors import audiences_for_request


def audiences(request):
    return {"reader_audiences": audiences_for_request(request)}
