"""Reminders of stale info blocks: one German mail per owner, links that work, escalation once."""

import datetime
import email
import email.policy
import io
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import Site

from tests.portal.test_review import days, make_block, make_owner
from vitrine.portal.models import CorporateDesign, ReviewConfirmation, ReviewReminder
from vitrine.portal.services import info_block_confirm, review_token_read, stale_content_remind

BASE_URL = "https://portal.example.org"
LINK = re.compile(re.escape(BASE_URL) + r"(/pruefung/bestaetigen/[^\s\"<]+/)")


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    settings.DEFAULT_FROM_EMAIL = "Lizenzmanagement <lizenzmanagement@example.org>"
    settings.VITRINE_TEAM_LEAD_EMAIL = ""
    settings.VITRINE_REVIEW_WARNING_DAYS = 14
    settings.VITRINE_REVIEW_GRACE_DAYS = 30


@pytest.fixture
def owners(db):
    return {
        "anna": make_owner("anna", first="Anna", last="Albers"),
        "bernd": make_owner("bernd", first="Bernd", last="Brandt"),
    }


@pytest.fixture
def blocks(home, owners):
    anna, bernd = owners["anna"], owners["bernd"]
    return {
        "tasks": make_block(home, "Aufgaben und Ziele", owner=anna, review_by=days(-3)),
        "rules": make_block(
            home, "Regeln für Software", owner=anna, review_by=days(5), interval=90
        ),
        "current": make_block(home, "Organisation", owner=anna, review_by=days(60)),
        "contacts": make_block(home, "Ansprechpartner", owner=bernd, review_by=days(-20)),
    }


def mail_to(outbox, address):
    found = [m for m in outbox if m.to == [address]]
    assert len(found) == 1, [m.to for m in outbox]
    return found[0]


def html_of(message) -> str:
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.mark.django_db
def test_one_german_mail_per_owner_lists_their_due_blocks(blocks, owners, mailoutbox, settings):
    run = stale_content_remind()

    assert len(mailoutbox) == 2
    assert run.mails_sent == 2
    anna_mail = mail_to(mailoutbox, "anna@example.org")
    assert anna_mail.subject == "Bitte prüfen Sie Ihre 2 Infoblöcke: Sind sie noch gültig?"
    assert anna_mail.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Hallo Anna Albers," in anna_mail.body
    assert "Aufgaben und Ziele" in anna_mail.body and "Regeln für Software" in anna_mail.body
    assert "Organisation" not in anna_mail.body
    assert "vor 3 Tagen" in anna_mail.body
    assert "Noch gültig? Mit einem Klick bestätigen:" in anna_mail.body
    assert len(LINK.findall(anna_mail.body)) == 2
    html = html_of(anna_mail)
    assert 'lang="de"' in html and "Ja, noch gültig" in html
    assert len(LINK.findall(html)) == 2

    bernd_mail = mail_to(mailoutbox, "bernd@example.org")
    assert bernd_mail.subject == "Bitte prüfen Sie Ihren Infoblock: Ist er noch gültig?"
    assert "Ansprechpartner" in bernd_mail.body and "Aufgaben" not in bernd_mail.body

    reminders = ReviewReminder.objects.all()
    assert {(r.page_id, r.review_by, r.reminder_count) for r in reminders} == {
        (blocks["tasks"].pk, days(-3), 1),
        (blocks["rules"].pk, days(5), 1),
        (blocks["contacts"].pk, days(-20), 1),
    }


@pytest.mark.django_db
def test_link_from_the_mail_works_end_to_end(blocks, owners, mailoutbox):
    stale_content_remind()
    body = mail_to(mailoutbox, "anna@example.org").body
    paths = LINK.findall(body)
    rules_path = next(
        p for p in paths if review_token_read(p.split("/")[-2]).page_id == blocks["rules"].pk
    )
    browser = Client(enforce_csrf_checks=True)

    shown = browser.get(rules_path)

    assert shown.status_code == 200
    assert "Regeln für Software" in shown.content.decode()
    blocks["rules"].refresh_from_db()
    assert blocks["rules"].review_by == days(5)
    assert not ReviewConfirmation.objects.exists()

    confirmed = browser.post(rules_path, {"csrfmiddlewaretoken": str(shown.context["csrf_token"])})

    assert confirmed.status_code == 200
    blocks["rules"].refresh_from_db()
    assert blocks["rules"].review_by == days(90)
    confirmation = ReviewConfirmation.objects.get()
    assert confirmation.page_id == blocks["rules"].pk
    assert confirmation.confirmed_by == owners["anna"]
    assert confirmation.previous_review_by == days(5)
    assert confirmation.new_review_by == days(90)
    assert (
        abs((datetime.datetime.now(datetime.UTC) - confirmation.confirmed_at).total_seconds()) < 60
    )


@pytest.mark.django_db
def test_running_twice_a_day_sends_nothing_twice(blocks, mailoutbox):
    call_command("remind_stale_content", stdout=io.StringIO())
    first = len(mailoutbox)
    out = io.StringIO()

    call_command("remind_stale_content", stdout=out)

    assert len(mailoutbox) == first == 2
    assert "Nichts zu verschicken" in out.getvalue()
    assert {r.reminder_count for r in ReviewReminder.objects.all()} == {1}


@pytest.mark.django_db
def test_reminder_is_repeated_after_a_week(blocks, mailoutbox):
    stale_content_remind(today=days(0))
    stale_content_remind(today=days(6))
    assert len(mailoutbox) == 2

    stale_content_remind(today=days(7))

    assert len(mailoutbox) == 4
    assert ReviewReminder.objects.get(page=blocks["contacts"]).reminder_count == 2


@pytest.mark.django_db
def test_escalation_after_the_grace_period_goes_to_the_team_lead_once(
    blocks, owners, mailoutbox, settings
):
    settings.VITRINE_TEAM_LEAD_EMAIL = "teamleitung@example.org"
    call_command("remind_stale_content", "--today", days(0).isoformat(), stdout=io.StringIO())
    # Bernd confirms his block; Anna does not react.
    info_block_confirm(page=blocks["contacts"], user=owners["bernd"], today=days(2))

    call_command("remind_stale_content", "--today", days(30).isoformat(), stdout=io.StringIO())
    assert not [m for m in mailoutbox if m.to == ["teamleitung@example.org"]]

    mailoutbox.clear()
    out = io.StringIO()
    call_command("remind_stale_content", "--today", days(31).isoformat(), stdout=out)
    call_command("remind_stale_content", "--today", days(31).isoformat(), stdout=io.StringIO())
    call_command("remind_stale_content", "--today", days(32).isoformat(), stdout=io.StringIO())

    lead_mails = [m for m in mailoutbox if m.to == ["teamleitung@example.org"]]
    assert len(lead_mails) == 1
    escalation = lead_mails[0]
    assert escalation.subject == "2 Infoblöcke brauchen Ihre Aufmerksamkeit"
    assert "mehr als 30 Tage nach der ersten Erinnerung" in escalation.body
    assert "Aufgaben und Ziele" in escalation.body and "Regeln für Software" in escalation.body
    assert "Ansprechpartner" not in escalation.body  # confirmed in time
    assert "verantwortlich: Anna Albers" in escalation.body
    assert "Eskalationen" in out.getvalue()
    assert ReviewReminder.objects.filter(escalated_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_blocks_without_a_reachable_owner_go_to_the_team_lead(home, mailoutbox, settings, site):
    settings.VITRINE_TEAM_LEAD_EMAIL = "fallback@example.org"
    design = CorporateDesign.for_site(site)
    design.team_lead_email = "teamleitung@example.org"
    design.save()
    silent = make_owner("sven", first="Sven", last="Stumm", email="")
    make_block(home, "Ohne Verantwortliche", review_by=days(-1))
    make_block(home, "Ohne Adresse", owner=silent, review_by=days(2))

    out = io.StringIO()
    call_command("remind_stale_content", stdout=out)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["teamleitung@example.org"]
    assert mail.subject == "2 Infoblöcke brauchen Ihre Aufmerksamkeit"
    assert "Ohne Verantwortliche" in mail.body
    assert "Ohne Adresse (verantwortlich: Sven Stumm, keine E-Mail-Adresse)" in mail.body
    assert "/admin/portal/infobloecke/" in mail.body  # the editor's "still valid" page
    assert "teamleitung@example.org" in out.getvalue()
    assert ReviewReminder.objects.count() == 2


@pytest.mark.django_db
def test_without_a_team_lead_address_the_command_says_so(home, mailoutbox):
    make_block(home, "Ohne Verantwortliche", review_by=days(-1))
    Site.objects.get(is_default_site=True)  # the corporate design has no address either
    err = io.StringIO()

    call_command("remind_stale_content", stdout=io.StringIO(), stderr=err)

    assert mailoutbox == []
    assert "keine Adresse der Teamleitung eingetragen" in err.getvalue()
    assert "TEAM_LEAD_EMAIL" in err.getvalue()
    assert not ReviewReminder.objects.exists()  # reported as soon as an address is set


@pytest.mark.django_db
def test_dry_run_sends_and_records_nothing_but_says_what_it_would_send(blocks, mailoutbox):
    out = io.StringIO()

    call_command("remind_stale_content", "--dry-run", stdout=out)

    assert mailoutbox == []
    assert not ReviewReminder.objects.exists()
    text = out.getvalue()
    assert "Probelauf" in text
    assert "Würde senden: Erinnerung an Anna Albers <anna@example.org> zu 2 Infoblöcken" in text
    assert "Aufgaben und Ziele" in text and "Ansprechpartner" in text


@pytest.mark.django_db
def test_command_names_what_it_sent(blocks, mailoutbox):
    out = io.StringIO()

    call_command("remind_stale_content", stdout=out)

    text = out.getvalue()
    assert "Gesendet: Erinnerung an Bernd Brandt <bernd@example.org> zu 1 Infoblock" in text
    assert "Ansprechpartner (Prüfung war am" in text
    assert "2 E-Mails verschickt." in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "31.03.2025"], "--today: '31.03.2025' ist kein Datum"),
        (["--today", "2025-02-30"], "--today: '2025-02-30' ist kein Datum"),
        (["--grace-days", "-1"], "--grace-days"),
    ],
)
def test_bad_arguments_give_a_clear_error(args, message, mailoutbox):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("remind_stale_content", *args, stdout=io.StringIO())
    assert mailoutbox == []


# --- A real SMTP server -------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield inbox
    controller.stop()


@pytest.mark.django_db
def test_reminder_travels_through_a_real_smtp_server(home, smtp_server):
    bernd = make_owner("bernd", first="Bernd", last="Brandt")
    block = make_block(home, "Ansprechpartner", owner=bernd, review_by=days(-20))

    run = stale_content_remind()

    assert run.mails_sent == 1 and run.failures == []
    (envelope,) = smtp_server.envelopes
    assert envelope.rcpt_tos == ["bernd@example.org"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["To"] == "bernd@example.org"
    # Django folds the encoded subject onto a continuation line; parsers keep that space.
    assert message["Subject"].strip() == "Bitte prüfen Sie Ihren Infoblock: Ist er noch gültig?"
    assert "lizenzmanagement@example.org" in message["From"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    (path,) = LINK.findall(text)
    assert path in html
    claim = review_token_read(path.split("/")[-2])
    assert (claim.page_id, claim.owner_id, claim.review_by) == (block.pk, bernd.pk, days(-20))


@pytest.mark.django_db
def test_an_unreachable_smtp_server_is_reported_and_nothing_recorded(blocks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nobody listens here
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    err = io.StringIO()

    call_command("remind_stale_content", stdout=io.StringIO(), stderr=err)

    assert "anna@example.org" in err.getvalue()
    assert not ReviewReminder.objects.exists()
