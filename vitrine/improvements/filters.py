"""The board's filters from the query string, validated: bad values give a message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from vitrine.audiences.models import Audience

from .choices import Area, Status

AREA_PARAM = "bereich"
STATUS_PARAM = "status"
AUDIENCE_PARAM = "zielgruppe"
ALL_AUDIENCES = "*"
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")
_SHOWN_MAX = 60


@dataclass
class BoardFilters:
    area: str | None = None
    status: str | None = None
    audience: Audience | None = None
    all_audiences: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def area_label(self) -> str:
        return Area(self.area).label if self.area else ""

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status else ""

    def shows(self, status: str) -> bool:
        """Whether the board shows items of `status` under this filter."""
        return not self.status or self.status == status

    def audiences_for(self, reader_audiences):
        """The audiences to filter by: the chosen one, none (all items), or the reader's."""
        if self.all_audiences:
            return None
        if self.audience is not None:
            return [self.audience]
        return reader_audiences


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN_MAX else value[:_SHOWN_MAX] + "…"


def parse_board_filters(params) -> BoardFilters:
    """Read `bereich`, `status` and `zielgruppe`; an unknown value is ignored and explained."""
    filters = BoardFilters()
    area = (params.get(AREA_PARAM) or "").strip()
    if area:
        if area in Area.values:
            filters.area = area
        else:
            filters.errors.append(
                _(
                    "Process area: there is no area “%(value)s”. "
                    "Showing all areas; choose one from the list."
                )
                % {"value": _shown(area)}
            )
    status = (params.get(STATUS_PARAM) or "").strip()
    if status:
        if status in Status.values:
            filters.status = status
        else:
            filters.errors.append(
                _(
                    "Status: there is no status “%(value)s”. "
                    "Showing all statuses; choose one from the list."
                )
                % {"value": _shown(status)}
            )
    slug = (params.get(AUDIENCE_PARAM) or "").strip()
    if slug == ALL_AUDIENCES:
        filters.all_audiences = True
    elif slug:
        audience = Audience.objects.filter(slug=slug).first() if _SLUG.fullmatch(slug) else None
        if audience is None:
            filters.errors.append(
                _(
                    "Audience: there is no audience “%(value)s”. "
                    "Showing the items for your own audiences; choose another from the list."
                )
                % {"value": _shown(slug)}
            )
        else:
            filters.audience = audience
    return filters
