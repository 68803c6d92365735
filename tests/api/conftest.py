"""Fixtures for the API tests: editors, a reviewer and a reader with tokens, an API client.

Every test here runs against the project's own URL configuration (vitrine/urls.py, the API
at /api/v1/) and in English, so assertions read the msgids.
"""

from __future__ import annotations

import tempfile

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import translation
from wagtail.models import APIToken


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


class ApiClient:
    """The Django test client with a bearer token and English answers; CSRF checks are on,
    as for a script outside the browser."""

    def __init__(self, token: str | None) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"Accept-Language": "en"}
        if token is not None:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers)

    def generic(self, method: str, path: str, data: bytes = b"", **extra):
        """A raw request: the body as given, headers and WSGI environ entries in `extra`."""
        headers = {**self.headers, **extra.pop("headers", {})}
        return self.client.generic(method, path, data, headers=headers, **extra)

    def post(self, path: str, data=None, **kwargs):
        if "content_type" not in kwargs and not _is_multipart(data):
            kwargs["content_type"] = "application/json"
        return self.client.post(path, data, headers=self.headers, **kwargs)


def _is_multipart(data) -> bool:
    return isinstance(data, dict) and any(hasattr(v, "read") for v in data.values())


def make_token(user, name: str = "Skript") -> str:
    _token, plaintext = APIToken.create_token(user=user, name=name)
    return plaintext


@pytest.fixture
def group_user(django_user_model):
    counter = {"n": 0}

    def make(group: str | None, **extra):
        counter["n"] += 1
        user = django_user_model.objects.create_user(
            f"{(group or 'user').lower()}{counter['n']}", password="pw-pw-pw-12", **extra
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def editor_user(group_user):
    """A member of Wagtail's "Editors": admin access, may post snapshots and import."""
    return group_user("Editors")


@pytest.fixture
def reviewer_user(group_user):
    """A works council reviewer: admin access, no right to write figures."""
    return group_user("Betriebsrat")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("chefin", "chefin@example.org", "pw-pw-12")


@pytest.fixture
def api_as():
    def make(user=None, token: str | None = None) -> ApiClient:
        return ApiClient(token if token is not None else make_token(user) if user else None)

    return make


@pytest.fixture
def editor_api(api_as, editor_user) -> ApiClient:
    return api_as(editor_user)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def import_dirs(settings, tmp_path, monkeypatch):
    """Uploads wait in a fresh private import directory; the "background" queue runs its
    tasks at once (when the transaction commits); every temporary file of the process goes
    to a directory of the test's own, so that tests can see one left behind."""
    settings.PRIVATE_IMPORT_ROOT = tmp_path / "imports"
    settings.TASKS = {
        **settings.TASKS,
        "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }
    temp = tmp_path / "temp"
    temp.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return {"imports": settings.PRIVATE_IMPORT_ROOT, "temp": temp}


def files_left(import_dirs) -> list:
    """Every file in the import directory and the temporary directory."""
    return sorted(
        path for root in import_dirs.values() if root.exists() for path in root.rglob("*")
    )
