"""Shared fixtures: the page tree, audiences and readers."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from vitrine.audiences.models import Audience
from vitrine.audiences.services import audiences_assign
from vitrine.portal.models import HomePage


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "de"


@pytest.fixture
def home(db) -> HomePage:
    """The home page the migrations create, as the default site's root."""
    return HomePage.objects.get()


@pytest.fixture
def site(home) -> Site:
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def audience(db):
    """Look up a seeded audience by slug."""

    def get(slug: str) -> Audience:
        return Audience.objects.get(slug=slug)

    return get


@pytest.fixture
def make_reader(db):
    """Create a logged-in-able reader assigned to the given audience slugs."""
    counter = {"n": 0}

    def make(*slugs: str, username: str | None = None, **extra):
        counter["n"] += 1
        user = get_user_model().objects.create_user(
            username=username or f"reader{counter['n']}",
            password="lesen-lesen-123",
            email=f"reader{counter['n']}@example.org",
            **extra,
        )
        if slugs:
            audiences_assign(user=user, audiences=list(Audience.objects.filter(slug__in=slugs)))
        return user

    return make


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        username="redaktion", password="redaktion-123", email="redaktion@example.org"
    )


def add_child(parent: Page, page: Page) -> Page:
    """Add `page` below `parent`, published."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
