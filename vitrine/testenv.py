"""Pytest plugin (loaded with `-p vitrine.testenv`) that sets the test environment early.

pytest-django reads the settings before any conftest is imported, so environment
variables that the settings read must be set by a plugin that pytest loads first.
"""

import os

import pytest

TEST_ENVIRONMENT = {
    # Without DEBUG the settings refuse to start without a key; this one signs test data only.
    "SECRET_KEY": "test-only-key-that-signs-nothing-outside-the-test-suite-0123456789",
    "HTTPS": "false",
    "WHITENOISE_USE_FINDERS": "true",
    "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    "EMAIL_URL": "consolemail://",
    # Parallel test processes must not share the anonymous survey rate limit's files.
    "SHARED_CACHE_URL": "locmemcache://shared",
    "LANGUAGE_CODE": "de",
    # Playwright's sync API runs an event loop in the test thread; the ORM calls in
    # browser tests happen outside it, so Django's async guard only gets in the way.
    "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
}


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args) -> None:
    for name, value in TEST_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
