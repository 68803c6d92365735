"""A WeasyPrint URL fetcher that serves local static and media files and refuses the rest."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint.urls import URLFetcher, URLFetcherResponse

from vitrine.portal.links import absolute_url


class RefusedURL(ValueError):
    """A resource the export does not load: anything not a local static or media file."""


def export_base_url(url: str) -> str:
    """The document's own absolute http(s) URL, so relative links in the export stay valid;
    without one, the portal's root URL."""
    parts = urlsplit(url or "")
    if parts.scheme in {"http", "https"} and parts.netloc:
        return url
    return absolute_url("/")


class LocalFilesFetcher(URLFetcher):
    """Serves `STATIC_URL` files through the staticfiles finders and `MEDIA_URL` files from
    `MEDIA_ROOT`, both only on the document's own origin; never opens a network connection.
    """

    def __init__(self, base_url: str, **kwargs):
        super().__init__(allowed_protocols=(), **kwargs)
        self._static_prefix = urljoin(base_url, settings.STATIC_URL)
        self._media_prefix = urljoin(base_url, settings.MEDIA_URL)

    def fetch(self, url, headers=None):
        path = self._local_path(url)
        mime_type, _encoding = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url,
            body=path.read_bytes(),
            headers={"Content-Type": mime_type or "application/octet-stream"},
        )

    def _local_path(self, url: str) -> Path:
        address = url.split("#", 1)[0].split("?", 1)[0]
        try:
            if address.startswith(self._static_prefix):
                found = finders.find(unquote(address.removeprefix(self._static_prefix)))
                path = Path(found) if isinstance(found, str) else None
            elif address.startswith(self._media_prefix):
                relative = unquote(address.removeprefix(self._media_prefix))
                path = Path(safe_join(str(settings.MEDIA_ROOT), relative))
            else:
                path = None
        except (SuspiciousFileOperation, ValueError):
            path = None
        if path is None or not path.is_file():
            raise RefusedURL(f"Not loaded in exports (only local static and media files): {url}")
        return path
