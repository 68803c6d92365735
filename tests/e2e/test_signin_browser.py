"""A reader signs in and out on a phone (issue 11 §2)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 360, "height": 780}
PASSWORD = "lesen-lesen-123"


@pytest.fixture
def reader(live_server):
    call_command("load_demo", verbosity=0)
    return get_user_model().objects.create_user(
        "emuster", password=PASSWORD, first_name="Erika", last_name="Mustermann"
    )


def assert_fits(page, width: int, what: str) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{what} at {width}px is {scroll_width}px wide"


def serious_violations(page, axe_source) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a',"
        " 'wcag21aa', 'best-practice']})"
    )
    return [
        f"{violation['id']} ({violation['impact']}) {[n['target'] for n in violation['nodes'][:3]]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_reader_signs_in_and_out_at_360_px(page, reader, screenshot, axe_source):
    page.set_viewport_size(PHONE)
    page.goto("/")
    header = page.locator(".site-header")
    header.get_by_role("link", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/anmelden/\?next=/$"))
    assert page.locator('meta[name="viewport"]').count() == 1
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    assert_fits(page, 360, "sign-in")
    assert not serious_violations(page, axe_source)
    screenshot(page, "signin-360")

    # A wrong password: the form says so and keeps the account name.
    page.get_by_label("Benutzername").fill("emuster")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("Benutzername oder Passwort stimmen nicht")
    expect(page.get_by_label("Benutzername")).to_have_value("emuster")
    assert_fits(page, 360, "sign-in with an error")
    screenshot(page, "signin-error-360")

    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/$"))
    name = header.get_by_role("link", name="Erika Mustermann")
    sign_out = header.get_by_role("button", name="Abmelden")
    expect(name).to_be_visible()
    expect(sign_out).to_be_visible()
    expect(header).to_contain_text("Angemeldet als Erika Mustermann")
    expect(header.get_by_role("link", name="Anmelden")).to_have_count(0)
    assert_fits(page, 360, "home signed in")
    assert not serious_violations(page, axe_source)
    screenshot(page, "signin-after-360")

    # The name leads to the profile.
    name.click()
    expect(page).to_have_url(re.compile(r"/profil/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Zielgruppen")

    header.get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".messages")).to_contain_text("Sie sind abgemeldet.")
    expect(header.get_by_role("link", name="Anmelden")).to_be_visible()
    expect(header.get_by_role("button", name="Abmelden")).to_have_count(0)
    assert "Erika Mustermann" not in page.content()
    assert_fits(page, 360, "home signed out")


def test_private_page_returns_the_reader_after_signing_in(page, reader):
    page.set_viewport_size(PHONE)
    page.goto("/profil/")
    expect(page).to_have_url(re.compile(r"/anmelden/\?next=/profil/$"))
    page.get_by_label("Benutzername").fill("emuster")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/profil/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Zielgruppen")
