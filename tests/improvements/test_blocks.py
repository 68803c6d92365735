"""OpenItemsBlock: open items embedded in other pages."""

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError

from vitrine.improvements.blocks import OpenItemsBlock
from vitrine.improvements.choices import Status

pytestmark = pytest.mark.django_db


def _value(block, **raw):
    data = {"heading": "", "items": [], "area": "", "audience": None, "max_items": 5}
    data.update(raw)
    return block.to_python(data)


def test_the_block_renders_open_items_of_an_area(board, make_item):
    make_item("Lizenz offen", area="license", status=Status.PLANNED)
    make_item("Finanzen offen", area="financial")
    make_item("Lizenz erledigt", area="license", status=Status.DONE)
    block = OpenItemsBlock()

    html = block.render(_value(block, area="license", heading="Offene Punkte"))

    assert "Offene Punkte" in html
    assert "Lizenz offen" in html
    assert "Finanzen offen" not in html
    assert "Lizenz erledigt" not in html
    assert "Planned" in html
    assert f'href="{board.url}' in html


def test_the_block_filters_by_audience_and_limits(make_item, audience):
    management = audience("management")
    for number in range(4):
        make_item(f"Management {number}", audiences=[management])
    make_item("Nur ITSM", audiences=[audience("itsm-rollen")])
    block = OpenItemsBlock()

    html = block.render(_value(block, audience=management.pk, max_items=2))

    assert html.count('class="improvement-card__title"') == 2
    assert "Nur ITSM" not in html
    assert "What we are working on" in html


def test_the_block_shows_chosen_items_in_their_current_state(make_item):
    done = make_item("Schon erledigt", status=Status.DONE)
    make_item("Nicht gewählt")
    block = OpenItemsBlock()

    html = block.render(_value(block, items=[done.pk]))

    assert "Schon erledigt" in html
    assert "Done" in html
    assert "Nicht gewählt" not in html


def test_the_block_says_when_there_is_nothing_open(db):
    block = OpenItemsBlock()
    html = block.render(_value(block, area="risk"))
    assert "There are no open items for this selection at the moment." in html


def test_chosen_items_and_a_filter_together_are_refused(make_item, audience):
    item = make_item()
    block = OpenItemsBlock()

    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(_value(block, items=[item.pk], area="license"))

    assert set(caught.value.block_errors) == {"area"}


def test_the_block_limit_is_bounded(db):
    block = OpenItemsBlock()
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(_value(block, max_items=500))
    assert set(caught.value.block_errors) == {"max_items"}
