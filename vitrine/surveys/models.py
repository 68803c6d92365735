"""Surveys, their anonymous answers and the results page that tells readers what came of them.

Anonymous against whoever holds the database, the secret key and the logs. What is stored:

- `PendingResponse`: an answer that was accepted but is not yet part of the results. It waits
  in the pool of its survey and group until enough answers of that group have arrived; every
  time the pool changes it is rewritten whole, in shuffled order, in one transaction, so its
  rows carry no order among themselves (see `vitrine.surveys.pool`). This is the window
  `docs/works-council.md` describes.
- `Response` and its `Answer`s: answers that have landed. They enter the stored results only
  in shuffled batches of at least the minimum group size, all of one group, written in a
  transaction that holds nothing else: no participation, no contact wish. The order in which
  the database stores them (SQLite's rowid, PostgreSQL's ctid and xmin) therefore tells no
  more than the batch, and a batch holds at least the minimum group size. A response carries
  its survey, one group (the partition the breakdown uses) and nothing else: no user, no
  address, no time, not even a day.
- `Participation`: a keyed hash of survey and user, so a second answer can be refused. It is
  written with the pending answer; nothing of it reaches the batch that lands.
- `ContactRequest`: a reader's "you may contact me", which lands shuffled in a transaction of
  its own when a batch of its survey lands, and has no link to any answer.
"""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from vitrine.portal.indexing import words
from vitrine.portal.models.pages import RICH_TEXT_FEATURES, PortalPage

from .choices import (
    CHOICE_KINDS,
    DEFAULT_MIN_GROUP_SIZE,
    MIN_GROUP_SIZE_FLOOR,
    OPTION_MAX_LENGTH,
    SCALES,
    QuestionKind,
)


@register_setting(icon="group")
class SurveySettings(BaseGenericSetting):
    """Settings for every survey: the minimum group size."""

    min_group_size = models.PositiveSmallIntegerField(
        _("minimum group size"),
        default=DEFAULT_MIN_GROUP_SIZE,
        validators=[MinValueValidator(MIN_GROUP_SIZE_FLOOR)],
        help_text=_(
            "No result is shown for fewer answers than this, neither for a survey nor for an "
            "audience. At least 3."
        ),
    )

    panels = [FieldPanel("min_group_size")]

    class Meta:
        verbose_name = _("survey settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_group_size__gte=MIN_GROUP_SIZE_FLOOR),
                name="surveys_min_group_size_floor",
            )
        ]


class SurveySeries(models.Model):
    """Surveys asked again and again, so that waves can be compared."""

    title = models.CharField(_("title"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("title"), FieldPanel("description")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("survey series")
        verbose_name_plural = _("survey series")

    def __str__(self) -> str:
        return self.title


def default_signed_in_only() -> bool:
    """New surveys take signed-in readers only where readers sign in (single sign-on)."""
    return bool(getattr(settings, "VITRINE_SURVEYS_SIGNED_IN_ONLY", False))


class SurveyPage(PortalPage):
    """A survey that readers answer on the portal while it is open."""

    intro = models.TextField(
        _("introduction"),
        max_length=1000,
        help_text=_("Why we ask, how long it takes and that the answers are anonymous."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    series = models.ForeignKey(
        SurveySeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
        help_text=_("Waves of one series are compared on the results page."),
    )
    allow_contact = models.BooleanField(
        _("offer “you may contact me”"),
        default=False,
        help_text=_(
            "Readers may leave their name and e-mail address. They are stored apart from "
            "the answers and cannot be linked to them."
        ),
    )
    signed_in_only = models.BooleanField(
        _("signed-in readers only"),
        default=default_signed_in_only,
        help_text=_(
            "Only signed-in readers may answer, each once. A survey open to everyone says on "
            "its results page that its numbers cannot be checked for double answers."
        ),
    )
    results_after_close = models.BooleanField(
        _("results only after the survey has closed"),
        default=False,
        help_text=_(
            "Without this, results move while the survey is open, but only when a batch of at "
            "least the minimum group size lands, never with a single answer."
        ),
    )
    thank_you = models.TextField(
        _("thank-you text"),
        max_length=600,
        blank=True,
        help_text=_("Shown after a reader has answered."),
    )

    content_panels = (
        Page.content_panels
        + [
            FieldPanel("intro"),
            FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Open")),
            FieldPanel("series"),
            InlinePanel("questions", heading=_("Questions"), label=_("Question"), min_num=1),
            MultiFieldPanel(
                [FieldPanel("allow_contact"), FieldPanel("thank_you")],
                heading=_("After answering"),
            ),
            MultiFieldPanel(
                [FieldPanel("signed_in_only"), FieldPanel("results_after_close")],
                heading=_("Who answers, when results show"),
            ),
        ]
        + PortalPage.audience_panels
    )
    search_fields = Page.search_fields + words("intro")
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["surveys.SurveyResultsPage"]

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The survey must close after it opens.")})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    def results_may_show(self, now=None) -> bool:
        """Results move with landed batches, or only once the survey has closed."""
        return not self.results_after_close or self.has_closed(now)

    @cached_property
    def ordered_questions(self) -> list["SurveyQuestion"]:
        return list(self.questions.all())

    def serve(self, request, *args, **kwargs):
        from .views import serve_survey

        return serve_survey(self, request, *args, **kwargs)


class SurveyQuestion(Orderable):
    """One question of a survey."""

    survey = ParentalKey(SurveyPage, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    options = models.TextField(
        _("options"),
        blank=True,
        help_text=_("For single and multiple choice: one option per line."),
    )
    allow_other = models.BooleanField(
        _("offer “other” with a text field"),
        default=False,
        help_text=_("For multiple and single choice."),
    )
    low_label = models.CharField(
        _("label of the lowest value"),
        max_length=60,
        blank=True,
        help_text=_("For ratings, e.g. “very poor”."),
    )
    high_label = models.CharField(
        _("label of the highest value"),
        max_length=60,
        blank=True,
        help_text=_("For ratings, e.g. “excellent”."),
    )
    compare_key = models.SlugField(
        _("comparison key"),
        max_length=60,
        blank=True,
        help_text=_(
            "Questions with the same key are compared across the waves of a series, even if "
            "their wording changed. Without a key, questions with the same wording are compared."
        ),
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("help_text"),
        FieldPanel("required"),
        FieldPanel("options", widget=forms.Textarea(attrs={"rows": 4})),
        FieldPanel("allow_other"),
        FieldRowPanel([FieldPanel("low_label"), FieldPanel("high_label")]),
        FieldPanel("compare_key"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    @property
    def scale(self) -> tuple[int, int] | None:
        return SCALES.get(self.kind)

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def comparison(self) -> str:
        """What makes this question the same question in another wave."""
        return f"key:{self.compare_key}" if self.compare_key else f"text:{self.text.strip()}"

    def clean(self):
        super().clean()
        if self.kind in CHOICE_KINDS:
            options = self.option_list
            if len(options) < 2:
                raise ValidationError(
                    {"options": _("A choice question needs at least two options, one per line.")}
                )
            if len({o.casefold() for o in options}) != len(options):
                raise ValidationError({"options": _("Each option may appear only once.")})
            too_long = [o for o in options if len(o) > OPTION_MAX_LENGTH]
            if too_long:
                raise ValidationError(
                    {
                        "options": _("Options are at most %(max)d characters long.")
                        % {"max": OPTION_MAX_LENGTH}
                    }
                )


class SurveyResultsPage(PortalPage):
    """“You said, we did”: what a survey showed and what the team does about it.

    It is for the survey's audiences; its own audience field is not used.
    """

    date = models.DateField(_("date"), default=timezone.localdate)
    key_results = RichTextField(
        _("key results in plain words"),
        features=RICH_TEXT_FEATURES,
        help_text=_("What the answers say, in a few sentences a reader understands at once."),
    )
    takeaways = RichTextField(
        _("what we take from them"),
        features=RICH_TEXT_FEATURES,
        help_text=_("What the team concludes and will do."),
    )
    show_figures = models.BooleanField(
        _("show the results per question"),
        default=True,
        help_text=_("Counts, shares and charts, always under the minimum group size."),
    )
    show_breakdown = models.BooleanField(_("show the breakdown by audience"), default=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("key_results"),
        FieldPanel("takeaways"),
        FieldPanel("show_figures"),
        FieldPanel("show_breakdown"),
        FieldPanel("benefit"),
    ]
    search_fields = Page.search_fields + words("key_results", "takeaways")
    parent_page_types = ["surveys.SurveyPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    # Shown on the page's card in the news stream and the feeds.
    news_label = _("Survey results")

    class Meta:
        verbose_name = _("survey results page")
        verbose_name_plural = _("survey results pages")

    @cached_property
    def survey(self) -> SurveyPage | None:
        parent = self.get_parent() if self.path else None
        return SurveyPage.objects.filter(pk=parent.pk).first() if parent else None

    def get_context(self, request, *args, **kwargs):
        from .selectors import results_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(results_page_context(self, request))
        return context


def _uuid_key():
    return models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)


NO_GROUP = ""  # the group of answers without a specific audience, or folded in to stay hidden


class Response(models.Model):
    """One landed answer to a survey: a random key, the survey and its group. Nothing else."""

    id = _uuid_key()
    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="responses")
    group = models.SlugField(_("group"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["survey", "group"])]
        permissions = [
            ("view_answers", _("May see survey answers and export them")),
        ]


class Answer(models.Model):
    """The answer to one question: a scale value or option in `value`, free text in `text`.

    A multiple-choice question has one row per chosen option; `respondent` is true on exactly
    one of them, so that respondents are counted in the same GROUP BY as the options. The
    "other" option and free text have an empty `value` and their text in `text`. `group` is
    the response's group, repeated so that the results need no join.
    """

    id = _uuid_key()
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    group = models.SlugField(_("group"), max_length=60, blank=True)
    value = models.CharField(_("value"), max_length=OPTION_MAX_LENGTH, blank=True)
    text = models.TextField(_("text"), blank=True)
    respondent = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["question", "group", "value", "respondent"]),
            models.Index(fields=["question", "response"]),
        ]


class PendingResponse(models.Model):
    """An accepted answer waiting in its pool for a batch of its group (see `pool`).

    `answers` is a list of [question id, [values], text]; nothing else is kept.
    """

    id = _uuid_key()
    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="+")
    group = models.SlugField(max_length=60, blank=True)
    answers = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["survey", "group"])]


class PendingContact(models.Model):
    """A contact wish waiting to land with the next batch of its survey."""

    id = _uuid_key()
    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    email = models.EmailField()


class Participation(models.Model):
    """That someone answered a survey: a keyed hash of survey and user, nothing else."""

    key = models.CharField(primary_key=True, max_length=64, editable=False)
    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="+")


class ContactRequest(models.Model):
    """A reader who may be contacted about a survey; not linked to any answer, not dated."""

    id = _uuid_key()
    survey = models.ForeignKey(
        SurveyPage, on_delete=models.CASCADE, related_name="contact_requests"
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"))

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        ordering = ["name"]
        permissions = [
            ("view_contact_wishes", _("May see who wishes to be contacted about a survey")),
        ]
