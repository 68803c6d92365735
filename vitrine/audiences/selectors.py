"""Reads: which audiences a reader belongs to, and what is meant for them."""

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from .models import Audience

_CACHE_ATTR = "_vitrine_audiences"


def audiences_for_user(user) -> list[Audience]:
    """All audiences of a user: everyone, directory groups, own choice and editor assignment."""
    query = Q(is_everyone=True)
    if user is not None and user.is_authenticated:
        query |= Q(groups__user=user)
        query |= Q(choosing_readers__user=user)
        query |= Q(assigned_readers__user=user)
    return list(Audience.objects.filter(query).distinct().order_by("sort_order", "name"))


def audiences_for_request(request: HttpRequest) -> list[Audience]:
    """The audiences the request's reader belongs to; anonymous readers get "Alle"."""
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is None:
        cached = audiences_for_user(getattr(request, "user", None))
        setattr(request, _CACHE_ATTR, cached)
    return cached


def audience_filter(audiences, field: str = "audiences") -> Q:
    """A Q object selecting content meant for any of `audiences` (or for everyone)."""
    pks = [a.pk for a in audiences]
    return (
        Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__in": pks})
        | Q(**{f"{field}__is_everyone": True})
    )


def for_audiences(queryset: QuerySet, audiences, field: str = "audiences") -> QuerySet:
    """Restrict a queryset of audience-targeted content to what is meant for `audiences`."""
    return queryset.filter(audience_filter(audiences, field)).distinct()
