"""Writes: a reader's own choice of audiences."""

from django.db import transaction

from .models import Audience, ReaderProfile


def reader_profile_get_or_create(*, user) -> ReaderProfile:
    profile, _created = ReaderProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def reader_audiences_choose(*, user, audiences) -> ReaderProfile:
    """Replace the audiences a reader chose for themselves ("Alle" is implicit)."""
    profile = reader_profile_get_or_create(user=user)
    profile.chosen_audiences.set([a for a in audiences if not a.is_everyone])
    return profile


def audiences_assign(*, user, audiences: list[Audience]) -> ReaderProfile:
    """An editor assigns audiences to a reader."""
    profile = reader_profile_get_or_create(user=user)
    profile.assigned_audiences.set(audiences)
    return profile
