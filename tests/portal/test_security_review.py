"""The outside security review (issue 9 §5): private files, login limits, the secret key and
huge ids, each tested by performing the attack."""

import os
import re
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import APIToken, Collection, CollectionViewRestriction

from tests.conftest import add_child
from vitrine.api.api import api
from vitrine.improvements.models import ImprovementBoardPage
from vitrine.testenv import TEST_ENVIRONMENT

ROOT = Path(__file__).resolve().parents[2]
SECRET_CONTENT = b"%PDF-1.4 Betriebsvereinbarung, nur intern"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def logged_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# 1. Private documents and original images are not served from /media/ ------------------


@pytest.fixture
def private_document(db):
    """A document in a collection that only logged-in users may see."""
    collection = Collection.get_first_root_node().add_child(name="Betriebsrat intern")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return get_document_model().objects.create(
        title="Betriebsvereinbarung",
        collection=collection,
        file=ContentFile(SECRET_CONTENT, name="betriebsvereinbarung.pdf"),
    )


def test_private_document_is_refused_to_anonymous_readers_both_ways(client, private_document):
    raw_url = private_document.file.url
    assert raw_url.startswith("/media/documents/")
    raw = client.get(raw_url)
    assert raw.status_code == 404
    assert SECRET_CONTENT not in body(raw)

    served = client.get(private_document.url)
    assert served.status_code == 302
    assert served["Location"].startswith("/anmelden/")


def test_private_document_is_served_to_logged_in_readers_through_documents(
    client, private_document, make_reader
):
    client.force_login(make_reader("mitarbeitende"))
    assert private_document.url.startswith("/documents/")
    served = client.get(private_document.url)
    assert served.status_code == 200
    assert body(served) == SECRET_CONTENT
    assert client.get(private_document.file.url).status_code == 404


@pytest.mark.parametrize(
    "trick",
    [
        "/media/images/../documents/{name}",
        "/media/images/%2e%2e/documents/{name}",
        "/media/images/..%2fdocuments/{name}",
        "/media/design/../documents/{name}",
        "/media//documents/{name}",
    ],
)
def test_no_path_trick_reaches_documents_through_a_public_media_folder(
    client, private_document, trick
):
    name = Path(private_document.file.name).name
    response = client.get(trick.format(name=name))
    assert response.status_code == 404
    assert SECRET_CONTENT not in body(response)


def test_original_images_are_not_served_but_renditions_and_the_design_font_are(client, db):
    image = get_image_model().objects.create(
        title="Organigramm", file=get_test_image_file(filename="organigramm.png")
    )
    assert image.file.url.startswith("/media/original_images/")
    assert client.get(image.file.url).status_code == 404

    rendition = image.get_rendition("fill-40x30")
    assert rendition.url.startswith("/media/images/")
    assert client.get(rendition.url).status_code == 200

    font = default_storage.save("design/fonts/hausschrift.woff2", ContentFile(b"wOF2 font"))
    response = client.get(f"/media/{font}")
    assert response.status_code == 200
    assert body(response) == b"wOF2 font"


def test_documents_are_served_by_wagtails_view(settings):
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"


# 2. Logins are limited per account and address ------------------------------------------

LOGIN_URLS = ["/anmelden/", "/admin/login/", "/django-admin/login/"]


@pytest.fixture
def accounts(db):
    """Two accounts that may log in everywhere (the admin logins need staff rights)."""
    users = get_user_model().objects
    return (
        users.create_superuser("opfer", "opfer@example.org", "richtiges-passwort-1"),
        users.create_superuser("kollegin", "kollegin@example.org", "ihr-passwort-2"),
    )


def forwarded_for(addresses: str) -> dict[str, str]:
    return {"x-forwarded-for": addresses}


def log_in(client, url: str, username: str, password: str, headers=None, **extra):
    data = {"username": username, "password": password}
    return client.post(url, data, headers=headers or {}, **extra)


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_right_password_is_refused_after_many_wrong_ones(client, accounts, url):
    victim, colleague = accounts
    for attempt in range(25):
        log_in(client, url, "opfer", f"falsch-{attempt}")
        assert logged_in_as(client) is None
    response = log_in(client, url, "opfer", "richtiges-passwort-1")
    assert logged_in_as(client) is None
    assert response.status_code == 429
    page = response.content.decode()
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in page
    assert "15 Minuten" in page

    # Another account from the same address is not locked out.
    response = log_in(client, url, "kollegin", "ihr-passwort-2")
    assert response.status_code == 302
    assert logged_in_as(client) == str(colleague.pk)


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_lockout_starts_at_the_limit_and_holds_for_the_account_from_that_address(
    client, accounts, url
):
    victim, _colleague = accounts
    for attempt in range(4):
        assert log_in(client, url, "opfer", f"falsch-{attempt}").status_code == 200
    assert log_in(client, url, "opfer", "falsch-5").status_code == 429
    assert log_in(client, url, "opfer", "richtiges-passwort-1").status_code == 429
    assert logged_in_as(client) is None
    # The same account from another address may still log in (lockout per account+address).
    elsewhere = log_in(client, url, "opfer", "richtiges-passwort-1", REMOTE_ADDR="10.9.8.7")
    assert elsewhere.status_code == 302
    assert logged_in_as(client) == str(victim.pk)


def test_lockout_page_is_english_for_english_readers(client, accounts):
    for attempt in range(5):
        log_in(client, "/anmelden/", "opfer", f"falsch-{attempt}")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = log_in(client, "/anmelden/", "opfer", "richtiges-passwort-1")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed login attempts" in page
    assert "15 minutes" in page
    assert '<html lang="en">' in page


def test_forwarded_addresses_are_ignored_unless_behind_a_proxy(client, accounts, settings):
    settings.BEHIND_PROXY = False
    for attempt in range(6):
        log_in(
            client,
            "/anmelden/",
            "opfer",
            f"falsch-{attempt}",
            forwarded_for(f"203.0.113.{attempt}"),
        )
    response = log_in(
        client, "/anmelden/", "opfer", "richtiges-passwort-1", forwarded_for("198.51.100.1")
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_a_proxy_the_address_the_proxy_appended_counts(client, accounts, settings):
    settings.BEHIND_PROXY = True
    for attempt in range(5):
        # The client may send its own X-Forwarded-For; the proxy appends the real address.
        log_in(
            client,
            "/anmelden/",
            "opfer",
            f"falsch-{attempt}",
            forwarded_for(f"203.0.113.{attempt}, 192.0.2.10"),
        )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["192.0.2.10"]
    locked = log_in(
        client, "/anmelden/", "opfer", "richtiges-passwort-1", forwarded_for("192.0.2.10")
    )
    assert locked.status_code == 429
    other_client = log_in(
        client, "/anmelden/", "opfer", "richtiges-passwort-1", forwarded_for("192.0.2.11")
    )
    assert other_client.status_code == 302


def test_a_garbled_forwarded_address_counts_as_the_connecting_one(client, accounts, settings):
    settings.BEHIND_PROXY = True
    response = log_in(client, "/anmelden/", "opfer", "falsch", forwarded_for("<script>"))
    assert response.status_code == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]


def test_only_failures_are_recorded_and_a_success_resets_them(client, accounts):
    for attempt in range(4):
        log_in(client, "/anmelden/", "opfer", f"falsch-{attempt}")
    assert AccessAttempt.objects.get().failures_since_start == 4
    assert log_in(client, "/anmelden/", "opfer", "richtiges-passwort-1").status_code == 302
    assert not AccessAttempt.objects.exists()
    assert not AccessLog.objects.exists()
    client.logout()
    for attempt in range(4):
        log_in(client, "/anmelden/", "opfer", f"wieder-falsch-{attempt}")
    assert log_in(client, "/anmelden/", "opfer", "richtiges-passwort-1").status_code == 302


# 3. No start without a secret key; var/ is the owner's only ---------------------------


def settings_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The process environment without the test settings, the secret key and DEBUG, reading
    no .env file and keeping its data in a fresh directory."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in TEST_ENVIRONMENT and key not in {"SECRET_KEY", "DEBUG", "VAR_DIR"}
    }
    var_dir = tmp_path / "var"
    var_dir.mkdir(mode=0o755, exist_ok=True)
    var_dir.chmod(0o755)
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "vitrine.settings",
            "ENV_FILE": str(tmp_path / "absent.env"),
            "VAR_DIR": str(var_dir),
            "MEDIA_ROOT": str(var_dir / "media"),
            **extra,
        }
    )
    return environment


def start_django(environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_without_a_secret_key(tmp_path):
    result = start_django(settings_environment(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "make secret-key" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


def test_starts_without_a_secret_key_in_debug_mode(tmp_path):
    result = start_django(settings_environment(tmp_path, DEBUG="true"))
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


def test_reads_the_secret_key_from_the_env_file(tmp_path):
    env_file = tmp_path / "vitrine.env"
    env_file.write_text(f"SECRET_KEY={secrets.token_urlsafe(50)}\n")
    result = start_django(settings_environment(tmp_path, ENV_FILE=str(env_file)))
    assert result.returncode == 0, result.stderr


def test_var_dir_is_readable_by_its_owner_only(tmp_path):
    environment = settings_environment(tmp_path, SECRET_KEY=secrets.token_urlsafe(50))
    assert start_django(environment).returncode == 0
    assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700


def ensure_secret_key(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    environment.update(
        {"ENV_FILE": str(tmp_path / ".env"), "VAR_DIR": str(tmp_path / "var"), **extra}
    )
    return subprocess.run(
        ["sh", str(ROOT / "scripts" / "ensure-secret-key.sh")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_secret_key_writes_one_key_once_into_a_private_env_file(tmp_path):
    assert ensure_secret_key(tmp_path).returncode == 0
    env_file = tmp_path / ".env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    first = env_file.read_text()
    key = re.fullmatch(r"SECRET_KEY=(\S{50,})\n", first)
    assert key, first
    assert ensure_secret_key(tmp_path).returncode == 0
    assert env_file.read_text() == first
    result = start_django(settings_environment(tmp_path, ENV_FILE=str(env_file)))
    assert result.returncode == 0, result.stderr


def test_make_secret_key_leaves_a_key_from_the_environment_alone(tmp_path):
    assert ensure_secret_key(tmp_path, SECRET_KEY="aus-der-umgebung").returncode == 0
    assert not (tmp_path / ".env").exists()


def test_make_secret_key_adds_a_key_to_an_env_file_without_one(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=false\nPORT=8080")
    assert ensure_secret_key(tmp_path).returncode == 0
    lines = env_file.read_text().splitlines()
    assert lines[:2] == ["DEBUG=false", "PORT=8080"]
    assert len(lines) == 3 and lines[2].startswith("SECRET_KEY=")


def test_make_secret_key_moves_the_key_an_earlier_version_generated(tmp_path):
    legacy = tmp_path / "var" / "secret_key"
    legacy.parent.mkdir()
    old_key = "frueher-erzeugter-schluessel-" + "x" * 40
    legacy.write_text(old_key + "\n")
    assert ensure_secret_key(tmp_path).returncode == 0
    assert (tmp_path / ".env").read_text() == f"SECRET_KEY={old_key}\n"
    assert not legacy.exists()


# 4. Ids beyond the database's range answer 404 ----------------------------------------

HUGE_IDS = [2**63, 2**64, 10**30]
OTHER_PARTS = {"str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _url_template(route: str) -> str | None:
    """`route` with `{id}` for each integer part, or None when it takes no integer."""
    template = re.sub(r"<int:\w+>", "{id}", route)
    # Regular expression routes take integers as (\d+) or (?P<name>\d+).
    template = re.sub(r"\((?:\?P<\w+>)?(?:\\d|\[0-9\])\+\)", "{id}", template)
    if "{id}" not in template:
        return None
    template = template.replace("^", "").replace("$", "")
    template = re.sub(r"\((?:\?P<\w+>)?[^)]*\)", "x", template)
    return "/" + re.sub(r"<(\w+):\w+>", lambda m: OTHER_PARTS.get(m.group(1), "x"), template)


def _api_templates():
    for path, item in api.get_openapi_schema()["paths"].items():
        for operation in item.values():
            integers = [
                p["name"]
                for p in operation.get("parameters", [])
                if p["in"] == "path" and p["schema"].get("type") == "integer"
            ]
            if integers:
                yield re.sub(r"\{(\w+)\}", "{id}", path)
                break


def id_taking_urls() -> list[str]:
    templates = {_url_template(route) for route in _routes(get_resolver().url_patterns)}
    templates.discard(None)
    templates.update(_api_templates())
    # Routes inside pages (RoutablePageMixin): the improvement board's items.
    templates.add("/woran-wir-arbeiten/{id}/")
    return sorted(templates)


def test_the_id_list_holds_the_urls_the_review_named():
    urls = id_taking_urls()
    for expected in (
        "/api/v1/surveys/{id}/results",
        "/api/v1/imports/{id}",
        "/auszuege/{id}/pdf",
        "/auszuege/{id}/pptx",
        "/documents/{id}/x",
        "/admin/pages/{id}/edit/",
        "/admin/surveys/{id}/results/",
    ):
        assert expected in urls


@pytest.mark.parametrize("template", id_taking_urls())
def test_huge_ids_answer_404(client, home, template):
    user = get_user_model().objects.create_superuser("chefin", "chefin@example.org", "pw-12")
    add_child(home, ImprovementBoardPage(title="Woran wir arbeiten", slug="woran-wir-arbeiten"))
    client.force_login(user)
    _token, plaintext = APIToken.create_token(user=user, name="Skript")
    for huge in HUGE_IDS:
        url = template.replace("{id}", str(huge))
        response = client.get(url, headers={"Authorization": f"Bearer {plaintext}"})
        assert response.status_code == 404, f"GET {url}: {response.status_code}"
        if url.startswith("/api/v1/"):
            assert "detail" in response.json()
