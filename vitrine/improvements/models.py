"""The improvement register: what the team improves, why, and how far it has come."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from vitrine.audiences.models import AudienceTargeted
from vitrine.portal.indexing import words

from .choices import OPEN_STATUSES, Area, Source, Status, grouped_area_choices
from .validators import validate_link


class ImprovementItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def done_since(self, since):
        return self.filter(status=Status.DONE, status_changed_at__gte=since)


class ImprovementItem(AudienceTargeted, index.Indexed, ClusterableModel):
    """One improvement: where it came from, which process it touches, and its status."""

    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(
        _("description"),
        max_length=4000,
        help_text=_("What is improved and why, in plain words for readers."),
    )
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.IDEA
    )
    source_url = models.CharField(
        _("link to the source"),
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text=_(
            "A web address or a path on this portal, e.g. the survey results page. "
            "Leave empty when the source is not published."
        ),
    )
    source_label = models.CharField(
        _("label of the source link"),
        max_length=160,
        blank=True,
        help_text=_("e.g. “Umfrage Zufriedenheit 2026, Ergebnisse”."),
    )
    area = models.CharField(
        _("process area"),
        max_length=32,
        choices=grouped_area_choices(),
        help_text=_("The ISO/IEC 19770-1 process the improvement belongs to."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IDEA
    )
    decline_reason = models.TextField(
        _("reason for declining"),
        max_length=2000,
        blank=True,
        help_text=_("Required when the item is declined; readers see it."),
    )
    owner = models.ForeignKey(
        "portal.Contact",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_items",
        help_text=_("The team or contact responsible. Readers see the name, never the e-mail."),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = ImprovementItemQuerySet.as_manager()

    search_fields = [
        *words("title", "description"),
        index.FilterField("status"),
        index.FilterField("area"),
    ]

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("improvement")
        verbose_name_plural = _("improvements")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=Status.DECLINED) | ~models.Q(decline_reason=""),
                name="improvements_declined_needs_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.status == Status.DECLINED and not (self.decline_reason or "").strip():
            raise ValidationError(
                {"decline_reason": _("Say why the item is declined: readers see the reason.")}
            )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def area_label(self) -> str:
        return Area(self.area).label if self.area in Area.values else self.area

    def get_url(self, request=None) -> str:
        """The item's page on the board ("" without a live board): search links here."""
        from .selectors import item_url

        return item_url(self, request=request)

    def history(self):
        """Status changes, oldest first."""
        return self.status_changes.order_by("changed_at", "pk")

    history.short_description = _("status history")


class StatusChange(models.Model):
    """One change of an item's status; the first entry records its creation."""

    item = models.ForeignKey(
        ImprovementItem,
        verbose_name=_("improvement"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["item", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.item}: {self.from_status or '–'} → {self.to_status}"

    @property
    def is_creation(self) -> bool:
        return not self.from_status


class ImprovementBoardPage(RoutablePageMixin, Page):
    """The public board “What we are working on”; every item has its own page below it."""

    intro = RichTextField(
        _("introduction"),
        features=["bold", "italic", "link", "ul", "ol"],
        blank=True,
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("improvement board")
        verbose_name_plural = _("improvement boards")

    @path("", name="board")
    def board(self, request):
        from .views import board_context

        return self.render(
            request,
            context_overrides=board_context(self, request),
            template="improvements/improvement_board_page.html",
        )

    @path("<int:item_id>/", name="item")
    def item(self, request, item_id: int):
        from .views import item_context

        return self.render(
            request,
            context_overrides=item_context(self, request, item_id),
            template="improvements/improvement_item_page.html",
        )
