"""Vitrine's own error pages: the site frame, a search box and the way to the contacts.

The 404 page is an ordinary page of the site, with the contacts of the home page. The 500
page must work when nothing else does (the database may be the reason for the error): it is
a standalone template, rendered without a request context and without a query.
"""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# What a reader gets when even 500.html cannot be rendered.
BARE_SERVER_ERROR = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Fehler / Error</title>'
    "</head><body><h1>Ein Fehler ist aufgetreten / An error occurred</h1>"
    '<p><a href="/">Startseite / Home page</a></p></body></html>'
)


def _contacts() -> list:
    from .models import Contact

    try:
        return list(Contact.objects.all())
    except DatabaseError:
        logger.exception("The contacts for the 404 page could not be read.")
        return []


@requires_csrf_token
def page_not_found(request, exception=None):
    """The site's 404 page: where to search and whom to ask."""
    body = loader.render_to_string("404.html", {"contacts": _contacts()}, request=request)
    return HttpResponseNotFound(body)


@requires_csrf_token
def server_error(request):
    """The site's 500 page from static parts only: no request context, no database."""
    try:
        body = loader.get_template("500.html").render({"site_name": settings.WAGTAIL_SITE_NAME})
    except Exception:  # whatever broke the page must not break the error page too
        logger.exception("500.html could not be rendered.")
        body = BARE_SERVER_ERROR
    return HttpResponseServerError(body)
