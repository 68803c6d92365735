"""Writes of surveys: storing an anonymous answer, and opening an improvement item from it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .forms import Cleaned
from .models import Answer, ContactRequest, Participation, Response, ResponseGroup, SurveyPage

PARTICIPATION_SALT = "vitrine.surveys.participation"
# Readers who are not logged in: this many answers per survey and address per hour.
DEFAULT_ANONYMOUS_RATE = 20
RATE_WINDOW_SECONDS = 3600


class SurveyClosed(Exception):
    """The survey does not take answers now."""


class AlreadyAnswered(Exception):
    """This reader has answered the survey before."""


class TooManyAnswers(Exception):
    """Too many answers from one address in a short time."""


def participation_key(survey_id: int, user_id: int) -> str:
    """A keyed hash of survey and user; without the secret key it names nobody."""
    return salted_hmac(PARTICIPATION_SALT, f"{survey_id}:{user_id}", algorithm="sha256").hexdigest()


def has_participated(survey: SurveyPage, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Participation.objects.filter(key=participation_key(survey.pk, user.pk)).exists()


def closed_message(survey: SurveyPage, now=None) -> str:
    """Why the survey takes no answers now; empty while it is open."""
    now = now or timezone.now()
    if now < survey.opens_at:
        return _("This survey opens on %(date)s. Please come back then.") % {
            "date": timezone.localtime(survey.opens_at).strftime("%d.%m.%Y %H:%M")
        }
    if now >= survey.closes_at:
        return _("This survey closed on %(date)s and takes no more answers.") % {
            "date": timezone.localtime(survey.closes_at).strftime("%d.%m.%Y %H:%M")
        }
    return ""


def rate_limit_hit(survey: SurveyPage, address: str) -> bool:
    """Count an anonymous answer from `address`; True when it is over the limit.

    The address is only hashed into a short-lived cache key, never stored in the database.
    """
    limit = getattr(settings, "VITRINE_SURVEY_ANONYMOUS_RATE", DEFAULT_ANONYMOUS_RATE)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    key = f"vitrine:survey-rate:{survey.pk}:{digest}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > limit


def response_submit(
    *,
    survey: SurveyPage,
    answers: Iterable[Cleaned],
    user=None,
    audience_slugs: Iterable[str] = (),
    contact: tuple[str, str] | None = None,
    now=None,
) -> Response:
    """Store one anonymous answer, all or nothing.

    A logged-in reader's participation is recorded as a keyed hash in the same transaction,
    so a second answer fails as a whole (AlreadyAnswered) even when two arrive at once.
    `audience_slugs` are the coarse groups the reader belongs to (never "everyone").
    """
    now = now or timezone.now()
    if closed_message(survey, now):
        raise SurveyClosed(closed_message(survey, now))
    answers = list(answers)
    try:
        with transaction.atomic():
            if user is not None and user.is_authenticated:
                Participation.objects.create(
                    key=participation_key(survey.pk, user.pk), survey=survey
                )
            response = Response.objects.create(survey=survey, day=timezone.localdate(now))
            ResponseGroup.objects.bulk_create(
                ResponseGroup(response=response, audience_slug=slug)
                for slug in sorted(set(audience_slugs))
            )
            Answer.objects.bulk_create(_answer_rows(response, answers))
            if contact is not None:
                ContactRequest.objects.create(survey=survey, name=contact[0], email=contact[1])
    except IntegrityError as error:
        if user is not None and has_participated(survey, user):
            raise AlreadyAnswered from error
        raise
    return response


def _answer_rows(response: Response, answers: list[Cleaned]) -> list[Answer]:
    rows = []
    for answer in answers:
        rows.extend(
            Answer(response=response, question=answer.question, value=value)
            for value in answer.values
        )
        if answer.text:
            rows.append(Answer(response=response, question=answer.question, text=answer.text))
    return rows
