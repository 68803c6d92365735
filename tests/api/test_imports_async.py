"""The upload of POST /imports: the one upload limit, 413 before the body is read, bytes
counted while they are written into the private import directory (never the temporary
directory), and no file left behind on any way out: refused, stored and imported, crashed,
broken off."""

from io import BytesIO

import pytest
from django.conf import settings as django_settings

from vitrine.api import uploads
from vitrine.figures.admin_views import upload_limit
from vitrine.figures.models import ImportRun, Snapshot

from .conftest import files_left

pytestmark = pytest.mark.django_db

BOUNDARY = "----vitrine-upload-0123456789"
ENTITLEMENTS = (
    "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n"
    "Visio Plan 2;Microsoft;Abonnement;10;120,00;EUR;01.01.2026;31.12.2026\n"
)


def entitlements(rows: int) -> bytes:
    """An entitlements export of `rows` products, as a licence tool writes it."""
    lines = [ENTITLEMENTS.splitlines()[0]]
    lines += [
        f"Produkt {n};Hersteller {n % 7};Abonnement;{n % 50 + 1};12,50;EUR;01.01.2026;31.12.2026"
        for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def multipart(data: bytes, name: str = "lizenzen.csv", **fields: str) -> bytes:
    """A multipart/form-data body as curl -F writes it."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


class Body:
    """The request body as the server hands it over, counting what the application reads;
    `ends_after` bytes (the client went away) or `resets_after` bytes (the connection was
    reset) stop it early."""

    def __init__(self, data: bytes, ends_after: int | None = None, resets_after=None) -> None:
        self.stream = BytesIO(data)
        self.read_bytes = 0
        self.ends_after = ends_after
        self.resets_after = resets_after

    def _take(self, chunk: bytes) -> bytes:
        if self.resets_after is not None and self.read_bytes + len(chunk) > self.resets_after:
            raise ConnectionResetError(104, "Connection reset by peer")
        if self.ends_after is not None:
            chunk = chunk[: max(0, self.ends_after - self.read_bytes)]
        self.read_bytes += len(chunk)
        return chunk

    def read(self, size: int = -1) -> bytes:
        return self._take(self.stream.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._take(self.stream.readline(size))


def raw_post(api, body: Body, *, declared: int):
    """POST /api/v1/imports with `body` as the WSGI input and `declared` as its length."""
    return api.generic(
        "POST",
        "/api/v1/imports",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(declared),
        **{"wsgi.input": body},
    )


# --- the limit --------------------------------------------------------------------------------


def test_one_limit_for_admin_and_api_with_a_documented_default(settings):
    assert django_settings.VITRINE_IMPORT_MAX_UPLOAD_BYTES == 512 * 1024 * 1024
    assert upload_limit() == 512 * 1024 * 1024
    settings.VITRINE_IMPORT_MAX_UPLOAD_BYTES = 12345
    assert upload_limit() == 12345


def test_a_huge_declared_length_is_413_before_a_byte_is_read(editor_api, import_dirs):
    """A client declaring 4 GiB (and sending a little) gets 413 naming the limit; the body is
    never read, so nothing is written anywhere."""
    body = Body(multipart(ENTITLEMENTS.encode()))
    response = raw_post(editor_api, body, declared=4 * 1024**3)
    assert response.status_code == 413
    answer = response.json()
    assert answer["max_bytes"] == 512 * 1024 * 1024
    assert "at most 512 MB (536870912 bytes)" in answer["detail"]
    assert body.read_bytes == 0
    assert not ImportRun.objects.exists() and files_left(import_dirs) == []


def test_the_limit_is_the_setting(editor_api, settings, import_dirs):
    settings.VITRINE_IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    data = multipart(entitlements(10))
    body = Body(data)
    response = raw_post(editor_api, body, declared=1024 * 1024 + 64 * 1024 + 1)
    assert response.status_code == 413 and response.json()["max_bytes"] == 1024 * 1024
    assert "at most 1 MB" in response.json()["detail"] and body.read_bytes == 0
    # Within the limit the same body goes through.
    assert raw_post(editor_api, Body(data), declared=len(data)).status_code == 202


def test_no_permission_is_403_before_a_byte_is_read(api_as, reviewer_user, import_dirs):
    body = Body(multipart(ENTITLEMENTS.encode()))
    response = raw_post(api_as(reviewer_user), body, declared=len(body.stream.getvalue()))
    assert response.status_code == 403 and body.read_bytes == 0


def test_no_token_is_401_before_a_byte_is_read(api_as, import_dirs):
    body = Body(multipart(ENTITLEMENTS.encode()))
    response = raw_post(api_as(), body, declared=4 * 1024**3)
    assert response.status_code == 401 and body.read_bytes == 0


def test_a_file_above_the_limit_is_stopped_while_it_streams(
    editor_api, settings, import_dirs, monkeypatch
):
    """The declared length passes (it is within the allowance for the multipart framing),
    but the file part is larger than the limit: the upload stops once the count passes it,
    long before the end of the body, and the part already written is deleted."""
    settings.VITRINE_IMPORT_MAX_UPLOAD_BYTES = 2000
    monkeypatch.setattr(uploads.ImportUploadHandler, "chunk_size", 1024)
    data = multipart(entitlements(800))  # about 50 KB, under 2000 + 64 KiB
    assert 20_000 < len(data) < 2000 + 64 * 1024
    body = Body(data)
    response = raw_post(editor_api, body, declared=len(data))
    assert response.status_code == 413, response.content
    assert response.json()["max_bytes"] == 2000
    assert body.read_bytes < 6000
    assert not ImportRun.objects.exists() and files_left(import_dirs) == []


def test_a_part_declaring_a_length_above_the_limit_is_413(editor_api, settings, import_dirs):
    settings.VITRINE_IMPORT_MAX_UPLOAD_BYTES = 2000
    data = multipart(ENTITLEMENTS.encode()).replace(
        b"Content-Type: text/csv\r\n", b"Content-Type: text/csv\r\nContent-Length: 999999\r\n"
    )
    response = raw_post(editor_api, Body(data), declared=len(data))
    assert response.status_code == 413
    assert files_left(import_dirs) == []


# --- where the file goes, and that it goes ----------------------------------------------------


def test_the_upload_is_written_to_the_import_directory_only(
    editor_api, settings, import_dirs, django_capture_on_commit_callbacks
):
    """A file above Django's in-memory size would go to the temporary directory with the
    default handlers; here it is streamed into the private import directory, and deleted
    when its run has ended."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000
    data = entitlements(2000)
    assert len(data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    with django_capture_on_commit_callbacks(execute=False) as queued:
        body = multipart(data, date="2026-11-01")
        response = raw_post(editor_api, Body(body), declared=len(body))
    assert response.status_code == 202, response.content
    [waiting] = files_left(import_dirs)
    assert waiting.parent == import_dirs["imports"] and waiting.read_bytes() == data
    assert waiting.stat().st_mode & 0o777 == 0o600
    run = ImportRun.objects.get()
    assert (run.status, run.pending_file) == (ImportRun.Status.QUEUED, waiting.name)
    queued[0]()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED and run.row_count == 2000
    assert files_left(import_dirs) == []


def test_a_connection_that_ends_inside_the_file_leaves_nothing(editor_api, import_dirs):
    data = multipart(entitlements(3000), date="2026-11-01")
    body = Body(data, ends_after=len(data) // 2)
    response = raw_post(editor_api, body, declared=len(data))
    assert response.status_code in (400, 422)
    assert body.read_bytes == len(data) // 2
    assert not ImportRun.objects.exists() and files_left(import_dirs) == []


def test_a_connection_reset_inside_the_file_leaves_nothing(editor_api, import_dirs, monkeypatch):
    monkeypatch.setattr(uploads.ImportUploadHandler, "chunk_size", 4096)
    data = multipart(entitlements(3000))
    response = raw_post(editor_api, Body(data, resets_after=len(data) // 2), declared=len(data))
    assert response.status_code == 400
    assert "broke off" in response.json()["detail"]
    assert not ImportRun.objects.exists() and files_left(import_dirs) == []


def test_a_crash_inside_the_request_leaves_nothing(editor_api, import_dirs, monkeypatch):
    """Whatever goes wrong after the file was written, it does not stay."""

    def broken_preview(*_args, **_kwargs):
        raise RuntimeError("broken")

    monkeypatch.setattr("vitrine.api.services.import_preview", broken_preview)
    data = multipart(ENTITLEMENTS.encode())
    with pytest.raises(RuntimeError):
        raw_post(editor_api, Body(data), declared=len(data))
    assert files_left(import_dirs) == []


def test_only_the_file_field_is_stored(editor_api, import_dirs, django_capture_on_commit_callbacks):
    data = multipart(ENTITLEMENTS.encode())
    extra = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="other"; filename="x.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + b"a,b\n" * 1000
        + b"\r\n"
    )
    data = extra + data
    with django_capture_on_commit_callbacks(execute=False):
        response = raw_post(editor_api, Body(data), declared=len(data))
    assert response.status_code == 202, response.content
    [waiting] = files_left(import_dirs)
    assert waiting.read_bytes() == ENTITLEMENTS.encode()


def test_a_queued_run_keeps_its_file_until_it_ran(
    editor_api, import_dirs, django_capture_on_commit_callbacks
):
    data = multipart(ENTITLEMENTS.encode(), dry_run="true")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert raw_post(editor_api, Body(data), declared=len(data)).status_code == 202
    assert len(files_left(import_dirs)) == 1
    queued[0]()
    assert files_left(import_dirs) == [] and not Snapshot.objects.exists()
    assert ImportRun.objects.get().preview[0]["key"] == "entitled.visio-plan-2"
