"""A news item saved as a draft is visible nowhere to readers until it is published."""

import re

import pytest

from tests.conftest import add_child
from vitrine.portal.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db

SECRET = "Sparprogramm Lizenzbudget"


@pytest.fixture
def news_index(home):
    return add_child(home, NewsIndexPage(title="Neuigkeiten", slug="neuigkeiten"))


@pytest.fixture
def draft(news_index, editor) -> NewsPage:
    page = NewsPage(
        title=SECRET,
        slug="sparprogramm",
        teaser="Noch nicht abgestimmt mit dem Betriebsrat.",
        body="<p>Entwurf.</p>",
        live=False,
    )
    news_index.add_child(instance=page)
    page.save_revision(user=editor)
    return page


def _everywhere(client, news_index) -> dict[str, str]:
    # Search results mark the query words; take the marks out to see the plain titles.
    return {
        url: re.sub(r"</?mark>", "", client.get(url).content.decode())
        for url in (
            "/",
            news_index.url,
            "/feeds/all.atom",
            "/feeds/management.atom",
            "/suche/?q=Sparprogramm",
            "/suche/?q=Sparprogramm&alle=1",
        )
    }


def _assert_invisible(client, news_index, draft_url: str) -> None:
    assert client.get(draft_url).status_code == 404
    for url, content in _everywhere(client, news_index).items():
        assert SECRET not in content, url


def test_a_draft_is_invisible_to_anonymous_readers(client, news_index, draft):
    _assert_invisible(client, news_index, "/neuigkeiten/sparprogramm/")


def test_a_draft_is_invisible_to_logged_in_readers(client, news_index, draft, make_reader):
    client.force_login(make_reader("management", "mitarbeitende"))

    _assert_invisible(client, news_index, "/neuigkeiten/sparprogramm/")


def test_once_published_the_news_is_everywhere(client, news_index, draft):
    draft.get_latest_revision().publish()

    assert client.get("/neuigkeiten/sparprogramm/").status_code == 200
    for url, content in _everywhere(client, news_index).items():
        assert SECRET in content, url


def test_unpublishing_takes_the_news_away_again(client, news_index, draft):
    draft.get_latest_revision().publish()
    draft.refresh_from_db()
    draft.unpublish()

    _assert_invisible(client, news_index, "/neuigkeiten/sparprogramm/")
