"""Over a real HTTP connection: an upload declaring 2 GiB is answered 413 at once, while the
client has sent only its first kilobyte and waits; nothing is stored anywhere."""

import json
import socket
import time
from urllib.parse import urlsplit

import pytest

from vitrine.figures.models import ImportRun

from .conftest import files_left, make_token

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BOUNDARY = "----vitrine-http-test"


def _answer(sock: socket.socket) -> tuple[int, dict, bytes]:
    """Read one HTTP response: status, headers, body (by its Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _sep, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", 0))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(lines[0].split()[1]), headers, body


def test_a_declared_2_gib_upload_is_answered_413_before_its_body(
    live_server, editor_user, import_dirs
):
    token = make_token(editor_user)
    address = urlsplit(live_server.url)
    first_part = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="gross.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
        "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n"
    ).encode() + b"Visio Plan 2;Microsoft;Abonnement;10;120,00;EUR;01.01.2026;31.12.2026\n" * 10
    head = (
        "POST /api/v1/imports HTTP/1.1\r\n"
        f"Host: {address.hostname}:{address.port}\r\n"
        f"Authorization: Bearer {token}\r\n"
        "Accept-Language: en\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {2 * 1024**3}\r\n\r\n"
    ).encode()
    with socket.create_connection((address.hostname, address.port), timeout=20) as sock:
        started = time.monotonic()
        sock.sendall(head + first_part)  # and then nothing: the rest never comes
        status, headers, body = _answer(sock)
        waited = time.monotonic() - started
    assert status == 413, body
    assert headers["content-type"].startswith("application/json")
    answer = json.loads(body)
    assert answer["max_bytes"] == 512 * 1024 * 1024
    assert "at most 512 MB" in answer["detail"]
    assert waited < 10
    assert not ImportRun.objects.exists() and files_left(import_dirs) == []
