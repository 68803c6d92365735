"""Login limits (django-axes): where an attempt comes from, the account it names, and the page
a locked-out login gets instead of the form."""

from __future__ import annotations

import ipaddress
from math import ceil

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

LOCKED_OUT_STATUS = 429  # Too Many Requests
# django-axes stores the account name an attempt gives in a column of this length.
STORED_USERNAME_LENGTH = 255


def _valid_address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address a login attempt comes from.

    Without BEHIND_PROXY it is the connecting address; X-Forwarded-For is ignored, as anyone
    can send it. Behind the company's reverse proxies it is the address the first of them
    appended to X-Forwarded-For (PROXY_COUNT from the right): entries to its left come from
    the client and could be made up.
    """
    remote = _valid_address(request.META.get("REMOTE_ADDR"))
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    count = max(settings.PROXY_COUNT, 1)
    if len(forwarded) >= count:
        return _valid_address(forwarded[-count]) or remote
    return remote


def attempted_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The account name a login attempt gives, as django-axes finds it, cut to what it stores.

    No account has a name this long, so cutting changes no lockout; without it an overlong
    name typed into any login form would fail to be stored and end in a server error.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if isinstance(username, str):
        return username[:STORED_USERNAME_LENGTH]
    return username


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The page a login gets while its account is locked for its address."""
    minutes = ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    response = TemplateResponse(
        request,
        "portal/login_locked.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=LOCKED_OUT_STATUS,
    )
    response["Retry-After"] = str(minutes * 60)
    return response.render()
