"""Writes of surveys: accepting an anonymous answer and landing it in the results."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from vitrine.audiences.models import Audience

from . import pool
from .forms import Cleaned
from .models import NO_GROUP, Participation, SurveyPage
from .results import min_group_size

PARTICIPATION_SALT = "vitrine.surveys.participation"
# Readers who are not logged in: this many answers per survey and address per hour.
DEFAULT_ANONYMOUS_RATE = 20
RATE_WINDOW_SECONDS = 3600
RATE_CACHE = "shared"  # a cache every worker process sees (settings.CACHES)


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


def client_address(request) -> str:
    """The reader's address: the connection's, or what a configured proxy says it forwarded.

    `X-Forwarded-For` is read only when the connection comes from one of the trusted proxies
    (`TRUSTED_PROXIES`); then the address is the last one in it that is not itself a trusted
    proxy. Anyone else can write any address into that header.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = _trusted_networks()
    if not trusted or not _in_networks(remote, trusted):
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    for address in reversed(forwarded):
        if not _in_networks(address, trusted):
            return address
    return forwarded[0] if forwarded else remote


def _trusted_networks() -> list:
    networks = []
    for entry in getattr(settings, "VITRINE_TRUSTED_PROXIES", []):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    return networks


def _in_networks(address: str, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def rate_limit_hit(survey: SurveyPage, address: str) -> bool:
    """Count an anonymous answer from `address`; True when it is over the limit.

    The count lives in the shared cache (`survey-rate`), so that every worker process sees
    it. The address is only hashed into a short-lived key, never stored in the database.
    """
    limit = getattr(settings, "VITRINE_SURVEY_ANONYMOUS_RATE", DEFAULT_ANONYMOUS_RATE)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    key = f"vitrine:survey-rate:{survey.pk}:{digest}"
    shared = caches[RATE_CACHE]
    shared.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = shared.incr(key)
    except ValueError:  # expired between add and incr
        shared.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > limit


def response_group(audience_slugs: Iterable[str]) -> str:
    """The one group an answer counts in: the reader's first audience in the audiences' order.

    Results are broken down by a partition, so a reader in several audiences counts in one.
    """
    slugs = set(audience_slugs)
    if not slugs:
        return NO_GROUP
    ordered = Audience.objects.filter(slug__in=slugs, is_everyone=False).order_by(
        "sort_order", "name", "pk"
    )
    return ordered.values_list("slug", flat=True).first() or NO_GROUP


def response_submit(
    *,
    survey: SurveyPage,
    answers: Iterable[Cleaned],
    user=None,
    audience_slugs: Iterable[str] = (),
    contact: tuple[str, str] | None = None,
    now=None,
) -> None:
    """Accept one anonymous answer: it is kept at once and lands in the results in a batch.

    A signed-in reader's participation is recorded as a keyed hash in the same transaction
    as the pending answer, so a second answer fails as a whole (AlreadyAnswered) even when
    two arrive at once. The answer waits in its pool (see `vitrine.surveys.pool`) until a
    batch of its group lands.
    """
    now = now or timezone.now()
    if closed_message(survey, now):
        raise SurveyClosed(closed_message(survey, now))
    stored = pending_answers(answers)
    group = response_group(audience_slugs)
    try:
        with transaction.atomic():
            if user is not None and user.is_authenticated:
                Participation.objects.create(
                    key=participation_key(survey.pk, user.pk), survey=survey
                )
            pool.pool_add(survey=survey, group=group, answers=stored, contact=contact)
    except IntegrityError as error:
        if user is not None and has_participated(survey, user):
            raise AlreadyAnswered from error
        raise
    if not answers_land(survey, now=now).changed:
        # The pool was rewritten even though nothing landed: its old row versions must go.
        pool.storage_scrub()


def answers_land(survey: SurveyPage, *, now=None) -> pool.Landed:
    """Land what is ready of `survey`'s pool: full batches while open, everything once closed."""
    return pool.batches_land(survey, min_size=min_group_size(), now=now)


def pending_answers(answers: Iterable[Cleaned]) -> list[list]:
    return [
        [answer.question.pk, list(answer.values), answer.text]
        for answer in answers
        if not answer.is_empty
    ]
