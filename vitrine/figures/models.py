"""Figure series, their dated snapshots and the import runs that produced them.

Figures, not people: no field here holds a user name, e-mail address or device name from an
import. Problems of a refused file are kept without the cell values for that reason.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from .units import Unit

SERIES_KEY = RegexValidator(
    r"^[a-z0-9_]+(\.[a-z0-9_-]+)*$",
    _("Use lower-case letters, digits, “_” and “-”, parts joined by dots."),
)


class ImportRun(models.Model):
    """One import of a file: what it was, who ran it, how it ended, which snapshots it wrote."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        REFUSED = "refused", _("Refused")
        UNDONE = "undone", _("Undone")
        FAILED = "failed", _("Failed")

    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=40, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUCCEEDED
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    problem_count = models.PositiveIntegerField(_("problems found"), default=0)
    problems = models.JSONField(
        _("problems"),
        default=list,
        blank=True,
        help_text=_("Row, column and reason of each problem; cell values are not kept."),
    )
    figure_date = models.DateField(_("date of the figures"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    # A queued run's upload waits in the private import directory until the task reads it;
    # the path is relative to settings.PRIVATE_IMPORT_ROOT and cleared once the run ends.
    pending_file = models.CharField(_("waiting file"), max_length=500, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress in percent"), default=0)
    progress_message = models.CharField(_("progress"), max_length=255, blank=True)
    # A dry run checks and computes but stores no figures; it keeps what it computed here
    # (key, title, unit, date, value of each figure: sums, never a person's data).
    dry_run = models.BooleanField(_("dry run"), default=False)
    preview = models.JSONField(_("computed values"), default=list, blank=True)
    plausibility = models.JSONField(
        _("plausibility check"),
        default=dict,
        blank=True,
        help_text=_("Changes against the stored figures, warnings and affected pages."),
    )

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(finished_at__isnull=True)
                | models.Q(finished_at__gte=models.F("started_at")),
                name="figures_importrun_finished_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()}, {self.started_at:%Y-%m-%d %H:%M})"

    @property
    def duration(self) -> timedelta | None:
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at


class UnitPanel(FieldPanel):
    """The stored unit code ("accounts") shown read-only as the admin's language reads it."""

    def format_value_for_display(self, value):
        return Unit(value) if value else super().format_value_for_display(value)


class FigureSeries(ClusterableModel):
    """A figure tracked over time, e.g. the license position of one product or in total."""

    class Topic(models.TextChoices):
        LICENSE_POSITION = "license_position", _("License position")
        UTILISATION = "utilisation", _("Utilisation")
        SHELFWARE = "shelfware", _("Shelfware")
        SAVINGS = "savings", _("Savings")
        CLOUD_INACTIVITY = "cloud_inactivity", _("Cloud inactivity")
        LEAD_TIME = "lead_time", _("Request lead time")
        RENEWALS = "renewals", _("Renewals")

    key = models.CharField(
        _("key"),
        max_length=200,
        unique=True,
        validators=[SERIES_KEY],
        help_text=_("Stable identifier, e.g. “license_position.microsoft-365-e3”."),
    )
    title = models.CharField(_("title"), max_length=200)
    unit = models.CharField(
        _("unit"), max_length=20, blank=True, help_text=_("E.g. seats, accounts, days, %, EUR.")
    )
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    product = models.CharField(
        _("product"), max_length=200, blank=True, help_text=_("Empty for totals.")
    )
    description = models.TextField(_("what it means"), blank=True)
    audiences = models.ManyToManyField(
        "audiences.Audience", verbose_name=_("audiences"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldPanel("title"),
        MultiFieldPanel(
            [
                FieldPanel("key", read_only=True),
                FieldPanel("topic", read_only=True),
                FieldPanel("product", read_only=True),
                UnitPanel("unit", read_only=True),
            ],
            heading=_("From the imports"),
        ),
        FieldPanel("description"),
        FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
        InlinePanel(
            "meanings",
            label=_("What does this mean for you? – per audience"),
            help_text=_("One sentence per audience, in its readers' words."),
        ),
    ]

    @property
    def monthly(self) -> bool:
        """True when each snapshot measures the month it is dated in (its 1st): lead times."""
        return self.topic == self.Topic.LEAD_TIME

    class Meta:
        verbose_name = _("figure series")
        verbose_name_plural = _("figure series")
        ordering = ["topic", "key"]

    def __str__(self) -> str:
        return self.title


class Snapshot(models.Model):
    """The value of a series on the date of its data; one per series and date."""

    series = models.ForeignKey(
        FigureSeries,
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="snapshots",
    )
    date = models.DateField(_("date of the data"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    # Undoing a run deletes its snapshots with it.
    import_run = models.ForeignKey(
        ImportRun,
        verbose_name=_("import run"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="snapshots",
    )
    extra = models.JSONField(_("breakdown"), default=dict, blank=True)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["series", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["series", "date"], name="figures_snapshot_series_date")
        ]
        indexes = [models.Index(fields=["date"], name="figures_snapshot_date")]

    def __str__(self) -> str:
        return f"{self.series}: {self.value.normalize():f} ({self.date:%Y-%m-%d})"


class SeriesMeaning(Orderable):
    """What a series means for the readers of one audience ("Was bedeutet das für Sie?")."""

    series = ParentalKey(FigureSeries, on_delete=models.CASCADE, related_name="meanings")
    audience = models.ForeignKey(
        "audiences.Audience",
        verbose_name=_("audience"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.TextField(_("what it means for this audience"), max_length=1000)

    panels = [FieldPanel("audience"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("meaning for an audience")
        verbose_name_plural = _("meanings for audiences")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "audience"], name="figures_meaning_series_audience"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series}: {self.audience}"


class SupersededSnapshot(models.Model):
    """A snapshot that a newer import of the same date replaced, kept so that undoing the
    newer import brings it back."""

    series = models.ForeignKey(FigureSeries, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date of the data"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    extra = models.JSONField(_("breakdown"), default=dict, blank=True)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    replaced_by = models.ForeignKey(
        ImportRun,
        verbose_name=_("replaced by"),
        on_delete=models.CASCADE,
        related_name="superseded",
    )

    class Meta:
        verbose_name = _("replaced snapshot")
        verbose_name_plural = _("replaced snapshots")


class InactivityThreshold(models.Model):
    """The inactivity thresholds of one cloud product, in place of the 30 / 60 / 90 days."""

    product = models.CharField(
        _("product"),
        max_length=200,
        help_text=_("As the Microsoft 365 report names it, e.g. “Microsoft 365 E3”; any case."),
    )
    first_days = models.PositiveSmallIntegerField(_("first threshold in days"), default=30)
    second_days = models.PositiveSmallIntegerField(_("second threshold in days"), default=60)
    third_days = models.PositiveSmallIntegerField(
        _("third threshold in days"),
        default=90,
        help_text=_("Accounts without activity for longer count as inactive."),
    )

    panels = [
        FieldPanel("product"),
        FieldPanel("first_days"),
        FieldPanel("second_days"),
        FieldPanel("third_days"),
    ]

    class Meta:
        verbose_name = _("inactivity threshold")
        verbose_name_plural = _("inactivity thresholds")
        ordering = ["product"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_days__gte=1)
                & models.Q(second_days__gt=models.F("first_days"))
                & models.Q(third_days__gt=models.F("second_days"))
                & models.Q(third_days__lte=3650),
                name="figures_inactivity_thresholds_ascending",
                violation_error_message=_(
                    "The thresholds rise from the first to the third, from 1 to 3650 days."
                ),
            ),
            # The import matches product names without regard to case: so does this.
            models.UniqueConstraint(
                Lower("product"),
                name="figures_inactivity_threshold_product_once",
                violation_error_message=_("This product has thresholds already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.first_days} / {self.second_days} / {self.third_days}"
