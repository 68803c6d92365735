"""The demo board: a dozen items in all states, loaded once."""

import pytest

from vitrine.improvements.choices import Status
from vitrine.improvements.demo import load_demo_improvements
from vitrine.improvements.models import ImprovementBoardPage, ImprovementItem, StatusChange

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_board_with_items_in_all_states_once(client, home):
    assert load_demo_improvements() is True
    items = ImprovementItem.objects.count()
    changes = StatusChange.objects.count()

    assert load_demo_improvements() is False
    assert ImprovementItem.objects.count() == items >= 12
    assert StatusChange.objects.count() == changes > items
    assert ImprovementBoardPage.objects.live().child_of(home).count() == 1
    assert set(ImprovementItem.objects.values_list("status", flat=True)) == set(Status.values)
    for item in ImprovementItem.objects.all():
        history = list(item.history())
        assert history[0].is_creation
        assert history[-1].to_status == item.status
        assert [c.changed_at for c in history] == sorted(c.changed_at for c in history)

    board = ImprovementBoardPage.objects.get()
    html = client.get(board.url, {"zielgruppe": "*"}).content.decode()
    assert "Rücknahme ungenutzter Visio-Lizenzen automatisieren" in html
    assert "Softwarekatalog um Lieferzeiten ergänzen" in html  # done 20 days ago
    declined = ImprovementItem.objects.get(status=Status.DECLINED)
    assert client.get(board.url + f"{declined.pk}/").status_code == 200
