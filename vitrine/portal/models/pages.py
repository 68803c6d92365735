"""Wagtail page types of the portal: home, info blocks, news and the lifecycle."""

import datetime
import re

from django import forms
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from vitrine.audiences.models import Audience, AudienceTargeted
from vitrine.audiences.selectors import audiences_for_request

from ..choices import InfoBlockKind, LifecycleStageKey
from ..indexing import words

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class PortalPage(AudienceTargeted, Page):
    """Base of every reader page that is aimed at audiences and carries a benefit line."""

    audience_panels = [
        MultiFieldPanel(
            [FieldPanel("benefit"), FieldPanel("audiences", widget=forms.CheckboxSelectMultiple)],
            heading=_("Audience and benefit"),
        )
    ]

    class Meta:
        abstract = True


class HomePage(Page):
    """The portal's start page: News Flash, news for the reader, info blocks, contacts."""

    heading = models.CharField(_("heading"), max_length=160, blank=True)
    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    news_count = models.PositiveSmallIntegerField(_("number of news shown"), default=4)

    content_panels = Page.content_panels + [
        FieldPanel("heading"),
        FieldPanel("intro"),
        FieldPanel("news_count"),
    ]
    search_fields = Page.search_fields + words("intro")
    subpage_types = [
        "portal.NewsIndexPage",
        "portal.InfoBlockPage",
        "portal.LifecyclePage",
        "catalog.CatalogPage",
        "improvements.ImprovementBoardPage",
        "surveys.SurveyPage",
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def latest_news(self, audiences):
        """News and topic excerpts for `audiences`, newest first."""
        from vitrine.excerpts.selectors import news_stream

        return news_stream(audiences, descendant_of=self)[: self.news_count]

    def get_context(self, request, *args, **kwargs):
        from .snippets import Contact

        context = super().get_context(request, *args, **kwargs)
        audiences = audiences_for_request(request)
        context["latest_news"] = self.latest_news(audiences)
        context["news_index"] = NewsIndexPage.objects.live().descendant_of(self).first()
        context["info_blocks"] = (
            InfoBlockPage.objects.live().public().child_of(self).specific().order_by("path")
        )
        context["contacts"] = Contact.objects.all()
        context["lifecycle_page"] = LifecyclePage.objects.live().descendant_of(self).first()
        from vitrine.catalog.models import CatalogPage

        context["catalog_page"] = CatalogPage.objects.live().descendant_of(self).first()
        return context


class InfoBlockPage(PortalPage):
    """A fixed block of standard information, with an owner and a review date."""

    kind = models.CharField(_("block"), max_length=40, choices=InfoBlockKind.choices)
    summary = models.TextField(_("summary"), max_length=400, blank=True)
    body = RichTextField(_("text"), features=RICH_TEXT_FEATURES, blank=True)
    contacts = ParentalManyToManyField(
        "portal.Contact", blank=True, verbose_name=_("contacts"), related_name="info_blocks"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("content owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_info_blocks",
        help_text=_("Who keeps this block up to date and gets the review reminders."),
    )
    review_by = models.DateField(_("review by"), null=True, blank=True)
    review_interval_days = models.PositiveSmallIntegerField(
        _("review interval in days"),
        default=180,
        help_text=_(
            "When the owner confirms the block, the next review is due after this many days."
        ),
    )

    content_panels = (
        Page.content_panels
        + [
            FieldPanel("kind"),
            FieldPanel("summary"),
            FieldPanel("body"),
            FieldPanel("contacts"),
            MultiFieldPanel(
                [
                    FieldPanel("owner_user"),
                    FieldPanel("review_by"),
                    FieldPanel("review_interval_days"),
                ],
                heading=_("Owner and review"),
            ),
        ]
        + PortalPage.audience_panels
    )
    search_fields = Page.search_fields + [
        *words("summary", "body"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("info block")
        verbose_name_plural = _("info blocks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_interval_days__gte=7),
                name="portal_infoblock_review_interval_min",
            )
        ]

    def next_review_date(self, from_date: datetime.date | None = None) -> datetime.date:
        return (from_date or timezone.localdate()) + datetime.timedelta(
            days=self.review_interval_days
        )


class NewsIndexPage(Page):
    """The list of news and stories, paginated and filterable by audience."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    per_page = models.PositiveSmallIntegerField(_("news per page"), default=10)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("per_page")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.NewsPage", "excerpts.TopicExcerptPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def get_context(self, request, *args, **kwargs):
        from vitrine.excerpts.selectors import news_stream

        context = super().get_context(request, *args, **kwargs)
        audiences = audiences_for_request(request)
        selected = None
        slug = request.GET.get("zielgruppe", "").strip()
        if slug and re.fullmatch(r"[-a-zA-Z0-9_]{1,60}", slug):
            selected = Audience.objects.filter(slug=slug).first()
        # News and topic excerpts, newest first.
        news = news_stream([selected] if selected is not None else audiences, child_of=self)
        paginator = Paginator(news, max(self.per_page, 1))
        try:
            page_obj = paginator.page(request.GET.get("seite", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        context.update(
            {
                "news_page": page_obj,
                "audience_choices": Audience.objects.all(),
                "selected_audience": selected,
                "unknown_audience": bool(slug) and selected is None,
            }
        )
        return context


class NewsPage(PortalPage):
    """A news item or story, aimed at audiences."""

    date = models.DateField(_("publication date"), default=datetime.date.today)
    teaser = models.TextField(_("teaser"), max_length=400)
    body = RichTextField(_("text"), features=RICH_TEXT_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for readers who cannot see it."),
    )

    content_panels = (
        Page.content_panels
        + [
            FieldPanel("date"),
            FieldPanel("teaser"),
            FieldPanel("body"),
            MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        ]
        + PortalPage.audience_panels
    )
    search_fields = Page.search_fields + [
        *words("teaser", "body", "benefit"),
        index.FilterField("date"),
    ]
    parent_page_types = ["portal.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-date"]


class LifecyclePage(Page):
    """The SAM lifecycle explained for users, from request to retirement."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("stages", label=_("stages"), min_num=1),
    ]
    search_fields = Page.search_fields + [
        *words("intro"),
        index.RelatedFields("stages", words("title", "what_happens", "speed_up")),
    ]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("lifecycle page")
        verbose_name_plural = _("lifecycle pages")

    @cached_property
    def ordered_stages(self):
        return list(self.stages.all())

    def get_context(self, request, *args, **kwargs):
        from vitrine.figures.selectors import (
            LEAD_TIME_STAGES,
            latest_snapshot,
            stage_lead_times,
            too_few,
        )

        context = super().get_context(request, *args, **kwargs)
        lead_times = stage_lead_times()
        for stage in self.ordered_stages:
            stage.measured = stage.stage in LEAD_TIME_STAGES
            stage.lead_time = lead_times.get(stage.stage)
        context["end_to_end"] = lead_times.get("end_to_end")
        within_catalog = latest_snapshot("lead_time.within_catalog")
        context["within_catalog"] = within_catalog
        context["within_catalog_too_few"] = within_catalog is not None and too_few(within_catalog)
        return context


class LifecycleStage(Orderable):
    """One stage of the lifecycle. Its key lets live figures attach to it later."""

    page = ParentalKey(LifecyclePage, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=20, choices=LifecycleStageKey.choices)
    title = models.CharField(_("title"), max_length=120)
    what_happens = models.TextField(_("what happens"))
    who_acts = models.CharField(_("who acts"), max_length=250)
    speed_up = models.TextField(_("what you can do to speed it up"), blank=True)

    panels = [
        FieldPanel("stage"),
        FieldPanel("title"),
        FieldPanel("what_happens"),
        FieldPanel("who_acts"),
        FieldPanel("speed_up"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("lifecycle stage")
        verbose_name_plural = _("lifecycle stages")
        constraints = [
            models.UniqueConstraint(fields=["page", "stage"], name="portal_lifecycle_stage_once")
        ]

    def __str__(self) -> str:
        return self.title
