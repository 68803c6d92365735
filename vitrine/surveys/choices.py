"""Choices and limits of surveys."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating 1–5 with labelled ends")
    CSAT = "csat", _("Satisfaction (CSAT, 1–5)")
    NPS = "nps", _("Recommendation (NPS, 0–10)")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


# Kinds answered with a number on a scale, and the scale of each.
SCALES = {
    QuestionKind.RATING: (1, 5),
    QuestionKind.CSAT: (1, 5),
    QuestionKind.NPS: (0, 10),
}
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

# The default and the floor of the minimum group size: below the floor, results could
# point at single people.
DEFAULT_MIN_GROUP_SIZE = 5
MIN_GROUP_SIZE_FLOOR = 3

FREE_TEXT_MAX_LENGTH = 2000
OTHER_TEXT_MAX_LENGTH = 200
OPTION_MAX_LENGTH = 200
