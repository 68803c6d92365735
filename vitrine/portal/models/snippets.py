"""Snippets of the portal: contacts and the News Flash."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from vitrine.audiences.models import Audience
from vitrine.audiences.selectors import audience_filter

from ..choices import Urgency


class Contact(index.Indexed, models.Model):
    """A person or functional mailbox to ask, with topic and role."""

    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_mailbox = models.BooleanField(
        _("functional mailbox"), default=False, help_text=_("A team address rather than a person.")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("topic"),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
        FieldPanel("is_mailbox"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("topic"),
        index.SearchField("role"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.topic})" if self.topic else self.name

    def clean(self):
        if not self.email and not self.phone:
            raise ValidationError({"email": _("Give an e-mail address or a phone number.")})


class NewsFlashQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at)

    def for_audiences(self, audiences):
        return self.filter(audience_filter(audiences)).distinct()


class NewsFlash(models.Model):
    """A site-wide notice with a time window, audiences and an urgency."""

    title = models.CharField(_("title"), max_length=140)
    text = models.TextField(_("text"), max_length=600)
    link_url = models.URLField(_("link"), blank=True)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("link to a page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link_text = models.CharField(_("link text"), max_length=80, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.INFO
    )
    starts_at = models.DateTimeField(_("shown from"), default=timezone.now)
    ends_at = models.DateTimeField(_("shown until"))
    audiences = models.ManyToManyField(
        Audience,
        blank=True,
        verbose_name=_("audiences"),
        related_name="news_flashes",
        help_text=_("Whom this is for. Leave empty for everyone."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = NewsFlashQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("text"),
        MultiFieldPanel(
            [FieldPanel("link_page"), FieldPanel("link_url"), FieldPanel("link_text")],
            heading=_("Link"),
        ),
        FieldPanel("urgency"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("audiences"),
    ]

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("News Flash")
        verbose_name_plural = _("News Flashes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="portal_newsflash_window_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must lie after the start.")})

    @property
    def link(self) -> str:
        if self.link_page_id and self.link_page.live:
            return self.link_page.url
        return self.link_url

    @property
    def dismiss_key(self) -> str:
        """Identifies this version of the flash in the reader's browser storage."""
        return f"{self.pk}-{int(self.updated_at.timestamp()) if self.updated_at else 0}"

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return self.starts_at <= at < self.ends_at
