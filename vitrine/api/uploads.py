"""Uploaded import files: streamed into the private import directory, counted, never in /tmp.

The upload of POST /imports is written chunk by chunk into settings.PRIVATE_IMPORT_ROOT under
a random name, the bytes counted as they arrive: above the upload limit the upload stops at
once (413), whatever the request declared. The view decorator `uploads_cleaned` deletes every
file of the request that no queued run took over, on every way out: a refusal, a bad field,
a dropped connection, an exception.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from vitrine.figures.admin_views import upload_limit
from vitrine.figures.tasks import PENDING_SUFFIX, import_root, upload_discard

FILE_FIELD = "file"
CHUNK_BYTES = 256 * 1024


class UploadTooLarge(Exception):
    """The upload is (or declares to be) above the limit; answered with 413."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(too_large_message(limit))


def too_large_message(limit: int) -> str:
    return _("The file is too large: at most %(limit)s MB (%(bytes)d bytes) can be imported.") % {
        "limit": f"{limit / (1024 * 1024):g}",
        "bytes": limit,
    }


class StoredUpload(UploadedFile):
    """An upload already written to the import directory as `pending_name`."""

    def __init__(self, *, pending_name: str, path: Path, name: str, size: int, **kwargs) -> None:
        super().__init__(file=None, name=name, size=size, **kwargs)
        self.pending_name = pending_name
        self.path = path
        self.claimed = False  # a queued run owns the file now: not deleted with the request

    def temporary_file_path(self) -> str:
        return str(self.path)

    def open(self, mode="rb"):
        return open(self.path, mode)  # noqa: SIM115 - the caller closes it

    def close(self) -> None:
        pass


class ImportUploadHandler(FileUploadHandler):
    """Writes the part "file" into the import directory, counting its bytes against `limit`.

    Any other file part is skipped unread; a second "file" part too.
    """

    chunk_size = CHUNK_BYTES

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.stored: list[StoredUpload] = []
        self.names: list[str] = []  # every file this handler created

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)
        if field_name != FILE_FIELD or self.names:
            raise SkipFile()
        if content_length is not None and content_length > self.limit:
            raise UploadTooLarge(self.limit)
        root = import_root()
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.pending_name = f"{secrets.token_hex(16)}{PENDING_SUFFIX}"
        self.path = root / self.pending_name
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.names.append(self.pending_name)
        self.file = os.fdopen(descriptor, "wb")
        self.received = 0
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.file.close()
            upload_discard(self.pending_name)
            raise UploadTooLarge(self.limit)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> StoredUpload:
        self.file.close()
        upload = StoredUpload(
            pending_name=self.pending_name,
            path=self.path,
            name=self.file_name or "",
            size=file_size,
            content_type=self.content_type,
            charset=self.charset,
        )
        self.stored.append(upload)
        return upload

    def upload_interrupted(self) -> None:
        """The body ended inside the file (a dropped connection): nothing of it is kept."""
        if hasattr(self, "file"):
            self.file.close()
        self.discard()

    def discard(self) -> None:
        """Delete every file of this request that no run took over."""
        claimed = {upload.pending_name for upload in self.stored if upload.claimed}
        for name in self.names:
            if name not in claimed:
                upload_discard(name)


def uploads_cleaned(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate an upload view: its file goes into the import directory, counted against the
    upload limit, and is deleted when the request ends unless a run took it over."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        handler = ImportUploadHandler(request, upload_limit())
        request.upload_handlers = [handler]
        try:
            return view(request, *args, **kwargs)
        finally:
            if hasattr(handler, "file"):
                handler.file.close()
            handler.discard()

    return wrapped
