"""The W3C Nu HTML checker finds no error on the demo's reader pages.

The pages are rendered by Django's test client and checked in one run of the checker
(node_modules/vnu-jar on Java), so the JVM starts once for all of them.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from tests.demo_pages import PAGES, demo_pages

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"
JAVA = shutil.which("java")
MISSING = " and ".join(
    what
    for what, absent in (
        ("java (Debian: default-jre-headless)", JAVA is None),
        ("node_modules/vnu-jar (run `npm install`)", not VNU_JAR.exists()),
    )
    if absent
)
NU_CHECKER = [JAVA, "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--stdout"]

pytestmark = [
    # Without a django_db test in the module pytest-django would not create the test database,
    # and the module fixture below would write the demo into the configured one.
    pytest.mark.django_db,
    # One worker renders the demo and starts the checker once; it needs no browser, so it
    # does not wait behind the browser tests.
    pytest.mark.xdist_group("nu-checker"),
]
if MISSING and os.environ.get("CI") != "true":
    # Skipped before the test database is set up; under CI the fixture below fails instead.
    pytestmark.append(
        pytest.mark.skip(reason=f"The Nu HTML checker cannot run: {MISSING} missing.")
    )


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, Path]:
    """The demo's pages as an anonymous reader gets them, each written to an .html file."""
    if MISSING:
        pytest.fail(f"The Nu HTML checker cannot run: {MISSING} missing. Under CI that fails.")
    folder = tmp_path_factory.mktemp("nu")
    files = {}
    with (
        django_db_blocker.unblock(),
        # What tests/conftest.py's _test_settings does for each test, for the whole module.
        override_settings(
            MEDIA_ROOT=folder / "media",
            LANGUAGE_CODE="de",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
        transaction.atomic(),
    ):
        call_command("load_demo", verbosity=0)
        client = Client()
        for name, url in demo_pages().items():
            response = client.get(url)
            assert response.status_code == 200, f"{name} ({url}) answered {response.status_code}"
            files[name] = folder / f"{name}.html"
            files[name].write_bytes(response.content)
        transaction.set_rollback(True)
    return files


# A page with one known error, checked in the same run: a report that reaches no page (a
# changed report format, files the checker did not read) would otherwise pass every page.
PLANTED = (
    '<!DOCTYPE html><html lang="de"><head><title>Probe</title></head>'
    "<body><p><div>Block in a paragraph</div></p></body></html>"
)


@pytest.fixture(scope="module")
def nu_errors(rendered) -> dict[str, list[str]]:
    """The checker's errors per page name, each as "line:column message «extract»"."""
    files = dict(rendered)
    files["planted"] = next(iter(files.values())).with_name("planted.html")
    files["planted"].write_text(PLANTED)
    run = subprocess.run(
        [*NU_CHECKER, *(str(path) for path in files.values())],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(run.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"The Nu HTML checker gave no report (exit {run.returncode}): {run.stderr}")
    by_file = {path.name: name for name, path in files.items()}
    errors: dict[str, list[str]] = {name: [] for name in files}
    for message in messages:
        # "error" is invalid HTML, "non-document-error" a page the checker could not read;
        # "info" messages (warnings among them) do not count.
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "?")
        name = by_file.get(url.rsplit("/", 1)[-1], url)
        where = f"line {message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"
        extract = " ".join(message.get("extract", "").split())
        errors.setdefault(name, []).append(f"{where} {message['message']} «{extract}»")
    return errors


def test_the_checker_reports_the_planted_error_on_its_page(nu_errors):
    assert set(nu_errors) == set(PAGES) | {"planted"}, f"errors of no page: {nu_errors}"
    assert len(nu_errors["planted"]) == 1
    assert "“p” end tag" in nu_errors["planted"][0]


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_html_error(nu_errors, name):
    assert nu_errors[name] == [], "\n  ".join(
        [f"{name}: {len(nu_errors[name])} Nu checker error(s)", *nu_errors[name]]
    )
