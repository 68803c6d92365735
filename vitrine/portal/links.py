"""Absolute addresses of the portal: every link that leaves the server (exports, feeds, mails)
starts at the configured root URL (`BASE_URL`), never at the host a request happened to use."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from wagtail.models import Page

# Host names that only mean "this machine": a link to them works nowhere else.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})


def root_url() -> str:
    """The portal's configured root URL, without a trailing slash.

    `BASE_URL`, else Wagtail's admin base URL (which the settings derive from it, with the
    development server's address when it is unset).
    """
    return (getattr(settings, "BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def root_host() -> str:
    """The host name of the root URL (for tag URIs and the like)."""
    return urlsplit(root_url()).hostname or ""


def is_local(url: str) -> bool:
    """Whether `url` points at this machine only (localhost, a loopback address)."""
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.startswith("127.") or host.endswith(".localhost")


def absolute_url(path_or_url: str) -> str:
    """`path_or_url` as an address anyone can follow: a path is put on the root URL; an
    address that is already absolute (an external link) is kept."""
    if urlsplit(path_or_url).scheme:
        return path_or_url
    return root_url() + "/" + path_or_url.lstrip("/")


def page_url(page: Page, request: HttpRequest | None = None) -> str:
    """The page's absolute address on the root URL; empty if the page is not routable.

    `request` only spares Wagtail's lookups of the sites; it does not change the address.
    """
    parts = page.specific_deferred.get_url_parts(request=request)
    if parts is None or parts[2] is None:
        return ""
    return absolute_url(parts[2])
