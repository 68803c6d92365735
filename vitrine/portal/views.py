"""Portal views outside the page tree: health check, search, design stylesheet, media."""

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django.views.static import serve
from wagtail.models import Site

from .contrast import HEX_COLOUR
from .models import Contact, CorporateDesign, HomePage
from .search import clean_query, query_terms, search_portal

SEARCH_RESULTS_PER_PAGE = 10
# The heading of the contact section in portal/home_page.html.
HOME_CONTACTS_ANCHOR = "home-contacts-heading"
# The folders of MEDIA_ROOT anyone may fetch: image renditions, which pages embed, and the
# corporate font. Documents are served by Wagtail's view, which checks their collection's
# privacy; original images are never served.
PUBLIC_MEDIA_FOLDERS = ("images", "design")


@never_cache
@require_GET
def healthz(request):
    """200 "ok" when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def _css_colour(design: CorporateDesign, field: str) -> str:
    """The stored colour if it is a plain #rrggbb value, else the default: never raw text."""
    value = getattr(design, field) or ""
    if HEX_COLOUR.match(value):
        return value.lower()
    return CorporateDesign._meta.get_field(field).default


def _css_font_family(name: str) -> str:
    """A font name that cannot leave its CSS string: letters, digits, spaces, - _ . only."""
    return " ".join(re.sub(r"[^\w .-]", "", name).split())


@require_GET
def design_css(request):
    """The corporate design as CSS custom properties, so no stylesheet is edited by hand."""
    site = Site.find_for_request(request)
    design = CorporateDesign.for_site(site) if site else CorporateDesign()
    lines = [":root {"]
    lines.append(f"  --colour-primary: {_css_colour(design, 'primary_colour')};")
    lines.append(f"  --colour-accent: {_css_colour(design, 'accent_colour')};")
    lines.append("}")
    family = _css_font_family(design.font_name) if design.font else ""
    if family:
        lines.insert(
            0,
            "@font-face {\n"
            f'  font-family: "{family}";\n'
            f'  src: url("{design.font.url}");\n'
            "  font-display: swap;\n"
            "}",
        )
        lines.insert(-1, f'  --font-body: "{family}", system-ui, sans-serif;')
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def media(request, path: str):
    """Image renditions and the corporate font, served by the app itself; 404 for the rest."""
    folder, _slash, rest = path.partition("/")
    if folder not in PUBLIC_MEDIA_FOLDERS or not rest:
        raise Http404("Not a public media file.")
    try:
        # Served from inside the folder, so that no "../" leads out of it.
        return serve(request, rest, document_root=Path(settings.MEDIA_ROOT) / folder)
    except SuspiciousFileOperation as error:
        raise Http404("Not a public media file.") from error


def _contacts_url(request) -> str:
    """Where the home page lists the team's contacts, or "" when it lists none."""
    site = Site.find_for_request(request)
    if site is None or not Contact.objects.exists():
        return ""
    home = site.root_page.specific
    if not isinstance(home, HomePage) or not home.live:
        return ""
    url = home.get_url(request=request)
    return f"{url}#{HOME_CONTACTS_ANCHOR}" if url else ""


@require_safe
def search(request):
    """Search across pages and catalog entries, meant for the reader's audiences."""
    query = clean_query(request.GET.get("q", ""))
    show_all = request.GET.get("alle") == "1"
    has_words = bool(query_terms(query))
    outcome = search_portal(request, query, all_audiences=show_all) if has_words else None
    page_obj = None
    if outcome is not None:
        page_obj = Paginator(outcome.hits, SEARCH_RESULTS_PER_PAGE).get_page(
            request.GET.get("seite")
        )
    return render(
        request,
        "portal/search.html",
        {
            "search_query": query,
            "has_words": has_words,
            "outcome": outcome,
            "results_page": page_obj,
            "show_all": show_all,
            "meta_description": _(
                "Search the portal: software in the catalog, news, topic excerpts and contacts."
            ),
            "contacts_url": _contacts_url(request) if outcome and not outcome.count else "",
        },
    )
