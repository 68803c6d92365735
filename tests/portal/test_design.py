"""The corporate design: the contrast check in the settings form, and /design.css."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vitrine.portal.contrast import contrast_ratio
from vitrine.portal.models import CorporateDesign

RATIO = re.compile(r"(\d+,\d\d):1")  # the admin is German unless the editor chose English
SUGGESTION = re.compile(r"(#[0-9a-f]{6})\.")


def settings_url(site) -> str:
    return reverse("wagtailsettings:edit", args=["portal", "corporatedesign", site.pk])


def design_form(**overrides) -> dict:
    data = {
        "company_name": "Muster AG",
        "portal_name": "Lizenzmanagement & IT-Services",
        "logo": "",
        "primary_colour": "#1f4e79",
        "accent_colour": "#8a3b12",
        "font_name": "",
        "imprint_url": "",
        "privacy_url": "",
        "team_lead_email": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def field_errors(response, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


@pytest.mark.django_db
def test_light_primary_colour_is_refused_with_the_ratio_and_a_suggestion(admin_client, site):
    response = admin_client.post(settings_url(site), design_form(primary_colour="#ffcc00"))

    assert response.status_code == 200
    (message,) = field_errors(response, "primary_colour")
    assert RATIO.search(message).group(1) == "1,51"
    assert "mindestens 4,5:1" in message
    suggestion = SUGGESTION.search(message).group(1)
    assert contrast_ratio(suggestion, "#ffffff") >= 4.5
    assert field_errors(response, "accent_colour") == []
    assert CorporateDesign.for_site(site).primary_colour == "#1f4e79"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Der Kontrast zu weißer Schrift beträgt 1,07:1; WCAG AA verlangt mindestens 4,5:1."),
        ("en", "Contrast with white text is 1.07:1; WCAG AA needs at least 4.5:1."),
    ],
)
def test_the_ratio_is_written_as_the_admins_language_writes_numbers(
    admin_client, site, language, expected
):
    # A pale grey on white: 1.07:1.
    response = admin_client.post(
        settings_url(site), design_form(accent_colour="#f7f7f7"), HTTP_ACCEPT_LANGUAGE=language
    )

    (message,) = field_errors(response, "accent_colour")
    assert message.startswith(expected)


@pytest.mark.django_db
def test_the_suggested_colour_is_accepted(admin_client, site):
    refused = admin_client.post(settings_url(site), design_form(accent_colour="#ffcc00"))
    (message,) = field_errors(refused, "accent_colour")
    suggestion = SUGGESTION.search(message).group(1)

    response = admin_client.post(settings_url(site), design_form(accent_colour=suggestion))

    assert response.status_code == 302
    assert CorporateDesign.for_site(site).accent_colour == suggestion


@pytest.mark.django_db
def test_a_ratio_just_below_the_minimum_is_not_shown_as_passing(admin_client, site):
    # #777777 on white is 4.48:1: rounding must not turn it into "4.50".
    response = admin_client.post(settings_url(site), design_form(primary_colour="#777777"))

    (message,) = field_errors(response, "primary_colour")
    assert RATIO.search(message).group(1) == "4,47"
    assert SUGGESTION.search(message).group(1) != "#777777"


@pytest.mark.django_db
def test_malformed_colour_names_the_format(admin_client, site):
    response = admin_client.post(settings_url(site), design_form(primary_colour="blau"))

    (message,) = field_errors(response, "primary_colour")
    assert "#1f4e79" in message
    assert CorporateDesign.for_site(site).primary_colour == "#1f4e79"


@pytest.mark.django_db
def test_defaults_are_accepted(admin_client, site):
    response = admin_client.post(settings_url(site), design_form())

    assert response.status_code == 302
    design = CorporateDesign.for_site(site)
    assert (design.primary_colour, design.accent_colour) == ("#1f4e79", "#8a3b12")


@pytest.mark.django_db
def test_design_css_reflects_saved_colours(admin_client, client, site):
    admin_client.post(
        settings_url(site), design_form(primary_colour="#0B5C9E", accent_colour="#6b2d0e")
    )

    client.logout()
    response = client.get("/design.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    assert "--colour-primary: #0b5c9e;" in css
    assert "--colour-accent: #6b2d0e;" in css


@pytest.mark.django_db
def test_design_css_never_passes_raw_stored_text(client, site):
    design = CorporateDesign.for_site(site)
    # Saved around the form (a shell, an import): the stylesheet still only takes hex colours.
    CorporateDesign.objects.filter(pk=design.pk).update(primary_colour="red;}*{")
    CorporateDesign.objects.filter(pk=design.pk).update(
        font=SimpleUploadedFile("x.woff2", b"wOF2").name, font_name='Frutiger";\n}body{x:y'
    )

    css = client.get("/design.css").content.decode()

    assert "red;" not in css and "*{" not in css
    assert "--colour-primary: #1f4e79;" in css
    assert 'font-family: "Frutigerbodyxy";' in css
    assert "\n}body" not in css


@pytest.mark.django_db
def test_uploaded_font_is_announced_in_design_css(admin_client, client, site):
    font = SimpleUploadedFile("hausschrift.woff2", b"wOF2fake", content_type="font/woff2")
    response = admin_client.post(
        settings_url(site), {**design_form(font_name="Muster Sans"), "font": font}
    )
    assert response.status_code == 302

    css = client.get("/design.css").content.decode()

    assert 'font-family: "Muster Sans";' in css
    assert re.search(r'src: url\("/media/design/fonts/hausschrift[^"]*\.woff2"\)', css)
    assert '--font-body: "Muster Sans", system-ui, sans-serif;' in css
