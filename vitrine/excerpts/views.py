"""Downloads of a topic excerpt as PDF and as PowerPoint deck, for the reader's audiences."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.models import Site

from vitrine.audiences.selectors import audiences_for_request

from .document import ExcerptDocument

PDF_TYPE = "application/pdf"
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
FILE_NAME_MAX_CHARS = 80

logger = logging.getLogger(__name__)


def _published_excerpt(request: HttpRequest, page_id: int):
    """The live, publicly visible excerpt of this site with that id, or 404."""
    from vitrine.excerpts.models import TopicExcerptPage

    pages = TopicExcerptPage.objects.live().public()
    site = Site.find_for_request(request)
    if site is not None:
        pages = pages.in_site(site)
    page = pages.filter(pk=page_id).first()
    if page is None:
        raise Http404("No published topic excerpt with this id.")
    return page


def export_file_name(title: str, day, extension: str) -> str:
    """An ASCII file name from the title and date, e.g. "adobe-lizenzen-2026-11-02.pdf"."""
    stem = slugify(title)[:FILE_NAME_MAX_CHARS].strip("-_") or "excerpt"
    return f"{stem}-{day.isoformat()}.{extension}"


def _renderer(name: str) -> Callable[[ExcerptDocument], bytes] | None:
    """The export function, imported on first use: WeasyPrint loads Pango, and a server
    without it should still serve the portal, only not the exports."""
    try:
        from . import exports
    except (ImportError, OSError):
        logger.exception("The excerpt exports cannot load their libraries.")
        return None
    return getattr(exports, name)


def _download(
    request: HttpRequest, page_id: int, renderer: str, extension: str, content_type: str
) -> HttpResponse:
    from vitrine.excerpts.documents import document_for

    page = _published_excerpt(request, page_id)
    render = _renderer(renderer)
    if render is None:
        return HttpResponse(
            _("Downloads are not available on this server at the moment."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    document = document_for(page, audiences=audiences_for_request(request), request=request)
    response = HttpResponse(render(document), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_file_name(page.title, document.date, extension)
    )
    return response


@never_cache
@require_safe
def pdf(request: HttpRequest, page_id: int) -> HttpResponse:
    """The excerpt as an A4 PDF."""
    return _download(request, page_id, "excerpt_pdf", "pdf", PDF_TYPE)


@never_cache
@require_safe
def pptx(request: HttpRequest, page_id: int) -> HttpResponse:
    """The excerpt as a 16:9 PowerPoint deck."""
    return _download(request, page_id, "excerpt_pptx", "pptx", PPTX_TYPE)
