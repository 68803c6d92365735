"""Writes of the improvement register. Every status change leaves a history entry."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vitrine.audiences.models import Audience

from .choices import Status
from .models import ImprovementItem, StatusChange


def improvement_create(
    *,
    title: str,
    description: str,
    source: str,
    source_url: str = "",
    source_label: str = "",
    area: str,
    audiences: Iterable[Audience | int] = (),
    owner=None,
    user=None,
    status: str = Status.IDEA,
    target_date=None,
    decline_reason: str = "",
    benefit: str = "",
    note: str = "",
    at=None,
) -> ImprovementItem:
    """Open an improvement item and record its first history entry.

    Raises ValidationError (with field names) on bad input; nothing is stored then.
    `at` back-dates the first history entry (imports, demo); it defaults to now.
    """
    item = ImprovementItem(
        title=(title or "").strip(),
        description=(description or "").strip(),
        source=source,
        source_url=(source_url or "").strip(),
        source_label=_fit(source_label, ImprovementItem._meta.get_field("source_label").max_length),
        area=area,
        owner=owner,
        status=status,
        target_date=target_date,
        decline_reason=(decline_reason or "").strip(),
        benefit=(benefit or "").strip(),
    )
    audience_list = _audience_list(audiences)
    item.full_clean()
    with transaction.atomic():
        item.status_changed_at = at or timezone.now()
        item.save()
        item.audiences.set(audience_list)
        item.save()  # ParentalManyToManyField values are committed on save
        _write_status_change(item=item, from_status="", to_status=item.status, user=user, note=note)
    return item


def improvement_set_status(
    *,
    item: ImprovementItem,
    status: str,
    note: str = "",
    user=None,
    decline_reason: str | None = None,
    at=None,
) -> StatusChange | None:
    """Move an item to `status` and record it; returns None when the status stays the same.

    Raises ValidationError on an unknown status or a decline without a reason; the stored
    item is unchanged then. `at` back-dates the change (imports, demo).
    """
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status “%(value)s”.") % {"value": status}})
    with transaction.atomic():
        locked = ImprovementItem.objects.select_for_update().get(pk=item.pk)
        previous = locked.status
        before = (item.status, item.decline_reason)
        if decline_reason is not None:
            item.decline_reason = decline_reason.strip()
        item.status = status
        try:
            item.full_clean(exclude=["audiences"])
        except ValidationError:
            item.status, item.decline_reason = before
            raise
        if previous == status:
            item.save()
            return None
        return _apply_change(item=item, from_status=previous, user=user, note=note, at=at)


def improvement_record_saved(
    *, item: ImprovementItem, from_status: str | None, user=None, note: str = ""
) -> StatusChange | None:
    """Record the history after an item was saved elsewhere (the admin form).

    `from_status` is the status before the save, or None when the item was just created.
    """
    if from_status is None:
        item.status_changed_at = timezone.now()
        ImprovementItem.objects.filter(pk=item.pk).update(status_changed_at=item.status_changed_at)
        return _write_status_change(
            item=item, from_status="", to_status=item.status, user=user, note=note
        )
    if from_status == item.status:
        return None
    return _apply_change(item=item, from_status=from_status, user=user, note=note)


def _apply_change(
    *, item: ImprovementItem, from_status: str, user, note: str, at=None
) -> StatusChange:
    now = at or timezone.now()
    item.status_changed_at = now
    item.save()
    return _write_status_change(
        item=item, from_status=from_status, to_status=item.status, user=user, note=note, at=now
    )


def _write_status_change(
    *, item: ImprovementItem, from_status: str, to_status: str, user, note: str, at=None
) -> StatusChange:
    return StatusChange.objects.create(
        item=item,
        from_status=from_status,
        to_status=to_status,
        changed_at=at or item.status_changed_at or timezone.now(),
        note=(note or "").strip(),
        changed_by=user if user is not None and user.is_authenticated else None,
    )


def _fit(text: str, length: int) -> str:
    """A label cut to `length` characters with an ellipsis (labels are derived, not typed)."""
    text = (text or "").strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _audience_list(audiences: Iterable[Audience | int]) -> list[Audience]:
    wanted = list(audiences or ())
    objects = [a for a in wanted if isinstance(a, Audience)]
    pks = []
    for value in wanted:
        if isinstance(value, Audience):
            continue
        try:
            pks.append(int(value))
        except (TypeError, ValueError):
            raise ValidationError(
                {"audiences": _("Unknown audience: %(ids)s.") % {"ids": value}}
            ) from None
    if pks:
        found = list(Audience.objects.filter(pk__in=pks))
        if len(found) != len(set(pks)):
            missing = sorted(set(pks) - {a.pk for a in found}, key=str)
            raise ValidationError(
                {
                    "audiences": _("Unknown audience: %(ids)s.")
                    % {"ids": ", ".join(str(pk) for pk in missing)}
                }
            )
        objects.extend(found)
    return objects
