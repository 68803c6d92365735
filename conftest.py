"""Environment for the test run, set before Django reads its settings."""

import os

os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("WHITENOISE_USE_FINDERS", "true")
os.environ.setdefault(
    "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("EMAIL_URL", "consolemail://")
# Playwright's sync API runs an event loop in the test thread; the ORM calls in browser
# tests happen outside it, so Django's async guard only gets in the way.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
