"""The topic excerpt ("Themenauszug"): figures with their meaning, wins and open work."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, Panel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from vitrine.portal.indexing import words
from vitrine.portal.models.pages import PortalPage

from .blocks import ExcerptStreamBlock

OPEN_WORK = "open_work"
OPEN_ITEMS = "open_items"


class OpenWorkNotice(Panel):
    """A warning in the editor while the excerpt has no open-work block."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "excerpts/admin/open_work_notice.html"

        def is_shown(self):
            return isinstance(self.instance, TopicExcerptPage) and not self.instance.has_open_work


class TopicExcerptPage(PortalPage):
    """A topic told with figures, what is going well and what is still to do."""

    date = models.DateField(_("date"), default=datetime.date.today)
    intro = models.TextField(
        _("introduction"),
        max_length=400,
        help_text=_("Two or three sentences: what the excerpt is about. Shown in the news list."),
    )
    body = StreamField(ExcerptStreamBlock(), verbose_name=_("content"))

    # Shown on the excerpt's card in the news stream.
    news_label = _("Topic excerpt")

    content_panels = (
        Page.content_panels
        + [
            OpenWorkNotice(),
            FieldPanel("date"),
            FieldPanel("intro"),
            FieldPanel("body"),
        ]
        + PortalPage.audience_panels
    )
    search_fields = Page.search_fields + [
        *words("intro", "body", "benefit"),
        index.FilterField("date"),
    ]
    parent_page_types = ["portal.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("topic excerpt")
        verbose_name_plural = _("topic excerpts")

    @property
    def teaser(self) -> str:
        """The introduction, under the name the news stream reads."""
        return self.intro

    @property
    def has_open_work(self) -> bool:
        """True when at least one open-work block lists something, or the page embeds open
        items of the improvement register."""
        return any(
            block.block_type in (OPEN_WORK, OPEN_ITEMS) and block.value for block in self.body
        )
