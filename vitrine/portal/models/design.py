"""The company's corporate design, set by editors in the Wagtail admin."""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from ..contrast import AA_NORMAL_TEXT, contrast_ratio, shown_ratio, suggest_passing

hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hex digits, e.g. #1f4e79.")
)
WHITE = "#ffffff"


@register_setting(icon="palette")
class CorporateDesign(BaseSiteSetting):
    """Name, logo, colours, font and footer links; the CSS reads them as custom properties."""

    company_name = models.CharField(_("company name"), max_length=120, default="Muster AG")
    portal_name = models.CharField(
        _("portal name"), max_length=120, default="Lizenzmanagement & IT-Services"
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#1f4e79",
        validators=[hex_colour],
        help_text=_("Header and buttons, with white text on it."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#8a3b12",
        validators=[hex_colour],
        help_text=_("Links and highlights on a white background."),
    )
    font = models.FileField(
        _("font file"),
        upload_to="design/fonts/",
        blank=True,
        validators=[FileExtensionValidator(["woff2", "woff", "ttf", "otf"])],
        help_text=_("Optional: the corporate font as WOFF2, WOFF, TTF or OTF file."),
    )
    font_name = models.CharField(
        _("font name"), max_length=80, blank=True, help_text=_("How the uploaded font is called.")
    )
    imprint_url = models.URLField(_("imprint link"), blank=True)
    privacy_url = models.URLField(_("privacy notice link"), blank=True)
    team_lead_email = models.EmailField(
        _("team lead e-mail"),
        blank=True,
        help_text=_("Receives escalations when an info block stays unreviewed."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("company_name"), FieldPanel("portal_name"), FieldPanel("logo")],
            heading=_("Name and logo"),
        ),
        MultiFieldPanel(
            [FieldPanel("primary_colour"), FieldPanel("accent_colour")], heading=_("Colours")
        ),
        MultiFieldPanel([FieldPanel("font"), FieldPanel("font_name")], heading=_("Font")),
        MultiFieldPanel(
            [FieldPanel("imprint_url"), FieldPanel("privacy_url")], heading=_("Footer links")
        ),
        FieldPanel("team_lead_email"),
    ]

    class Meta:
        verbose_name = _("corporate design")

    def clean(self):
        errors = {}
        for field in ("primary_colour", "accent_colour"):
            value = getattr(self, field)
            try:
                ratio = contrast_ratio(value, WHITE)
            except ValueError:
                continue  # the field validator names the format problem
            if ratio < AA_NORMAL_TEXT:
                # Numbers as the admin's language writes them: "1,07:1" in German.
                errors[field] = _(
                    "Contrast with white text is %(ratio)s:1; WCAG AA needs at least "
                    "%(minimum)s:1. Try %(suggestion)s."
                ) % {
                    "ratio": number_format(shown_ratio(ratio), decimal_pos=2),
                    "minimum": number_format(AA_NORMAL_TEXT, decimal_pos=1),
                    "suggestion": suggest_passing(value, WHITE),
                }
        if self.font and not self.font_name:
            errors["font_name"] = _("Name the uploaded font.")
        if errors:
            raise ValidationError(errors)
