"""Security baseline: CSP for readers and admin, deploy checks, nothing unpublished leaks."""

import io
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tests.conftest import add_child
from vitrine.portal.models import NewsIndexPage, NewsPage
from vitrine.testenv import TEST_ENVIRONMENT

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


def test_reader_pages_get_a_strict_policy(client, home):
    response = client.get(home.url)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert all(
        source == "'self'" or source.startswith("'nonce-") for source in policy["script-src"]
    )
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_reader_pages_load_nothing_from_outside(client, home):
    html = client.get(home.url).content.decode()
    for marker in ("https://", "http://", "//cdn", "fonts.googleapis"):
        for line in html.splitlines():
            if marker in line and ("<script" in line or "<link" in line):
                pytest.fail(f"external resource in page: {line.strip()}")


def test_admin_gets_its_own_looser_policy(client, editor):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    # A nonce would make browsers ignore 'unsafe-inline', which the admin needs.
    assert not any(source.startswith("'nonce-") for source in policy["script-src"])


def test_admin_is_closed_to_readers(client, make_reader):
    assert client.get("/admin/").status_code == 302
    client.force_login(make_reader("mitarbeitende"))
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert client.get("/django-admin/").status_code == 302


def test_draft_and_unpublished_pages_stay_hidden_from_readers(client, home, make_reader):
    index = add_child(home, NewsIndexPage(title="Neuigkeiten", slug="neuigkeiten"))
    draft = NewsPage(
        title="Entwurf: Neue Regel", slug="entwurf", teaser="Noch nicht frei", body="<p>x</p>"
    )
    index.add_child(instance=draft)
    draft.unpublish()
    assert client.get("/neuigkeiten/entwurf/").status_code == 404
    client.force_login(make_reader("management"))
    assert client.get("/neuigkeiten/entwurf/").status_code == 404
    published = add_child(
        index, NewsPage(title="Veröffentlicht", slug="frei", teaser="Frei", body="<p>y</p>")
    )
    published.title = "Veröffentlicht – geänderter Entwurf"
    published.save_revision()  # a newer draft of a live page is not shown
    body = client.get("/neuigkeiten/frei/").content.decode()
    assert "geänderter Entwurf" not in body
    assert "Veröffentlicht" in body


def test_deploy_check_passes_under_documented_production_settings():
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in TEST_ENVIRONMENT and key != "DEBUG"
    }
    environment.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "vitrine.example.org",
            "BASE_URL": "https://vitrine.example.org",
            "BEHIND_PROXY": "true",
            "DJANGO_SETTINGS_MODULE": "vitrine.settings",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_harden_cookies_and_hsts():
    script = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    environment = {k: v for k, v in os.environ.items() if k not in {"HTTPS", "DEBUG"}}
    environment["DJANGO_SETTINGS_MODULE"] = "vitrine.settings"
    result = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{script}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "False"], result.stderr


def test_admin_dashboard_loads_nothing_from_outside(client, editor):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "gravatar.com" not in html


@pytest.mark.parametrize(
    ("base_url", "check_id"),
    [
        ("", "portal.E001"),
        ("http://localhost", "portal.E002"),
        ("http://127.0.0.1:8000/", "portal.E002"),
        ("http://[::1]:8000", "portal.E002"),
        ("vitrine.example.org", "portal.E002"),
    ],
)
def test_the_deploy_check_fails_without_a_base_url_readers_can_reach(settings, base_url, check_id):
    settings.BASE_URL = base_url
    settings.WAGTAILADMIN_BASE_URL = base_url or "http://127.0.0.1:8000"

    with pytest.raises(SystemCheckError) as failure:
        call_command("check", "--deploy", "--tag", "security", stdout=io.StringIO())

    assert check_id in str(failure.value)
    assert "BASE_URL" in str(failure.value)


def test_the_deploy_check_accepts_the_portals_address_and_the_plain_check_ignores_it(settings):
    settings.BASE_URL = "https://vitrine.muster-ag.example"
    output = io.StringIO()
    call_command("check", "--deploy", "--tag", "security", stdout=output, stderr=output)
    assert "portal.E00" not in output.getvalue()

    settings.BASE_URL = ""
    # Without --deploy (development, CI) an unset BASE_URL is no error.
    call_command("check", stdout=io.StringIO())
