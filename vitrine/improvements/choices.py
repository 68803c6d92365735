"""Choices of the improvement register, in the readers' words."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    IDEA = "idea", _("Idea")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


OPEN_STATUSES = (Status.IDEA, Status.PLANNED, Status.IN_PROGRESS)
CLOSED_STATUSES = (Status.DONE, Status.DECLINED)


class Source(models.TextChoices):
    SURVEY = "survey", _("Survey")
    FEEDBACK = "feedback", _("Feedback")
    AUDIT = "audit", _("Audit")
    IDEA = "idea", _("Idea")
    OTHER = "other", _("Other")


class Area(models.TextChoices):
    """Process areas of ISO/IEC 19770-1, plus communication."""

    # Life cycle processes
    SPECIFICATION = "specification", _("Specification")
    ACQUISITION = "acquisition", _("Acquisition")
    RELEASE = "release", _("Release")
    DEPLOYMENT = "deployment", _("Deployment")
    OPERATION = "operation", _("Operation")
    RETIREMENT = "retirement", _("Retirement")
    # Cross-cutting processes
    CHANGE = "change", _("Change management")
    DATA = "data", _("Data management")
    LICENSE = "license", _("License management")
    SECURITY = "security", _("Security management")
    RELATIONSHIP_CONTRACT = "relationship_contract", _("Relationship and contract management")
    FINANCIAL = "financial", _("Financial management")
    SERVICE_LEVEL = "service_level", _("Service level management")
    RISK = "risk", _("Risk management")
    # Beyond the standard
    COMMUNICATION = "communication", _("Communication")


LIFE_CYCLE_AREAS = (
    Area.SPECIFICATION,
    Area.ACQUISITION,
    Area.RELEASE,
    Area.DEPLOYMENT,
    Area.OPERATION,
    Area.RETIREMENT,
)
CROSS_CUTTING_AREAS = (
    Area.CHANGE,
    Area.DATA,
    Area.LICENSE,
    Area.SECURITY,
    Area.RELATIONSHIP_CONTRACT,
    Area.FINANCIAL,
    Area.SERVICE_LEVEL,
    Area.RISK,
)
OTHER_AREAS = (Area.COMMUNICATION,)

AREA_GROUPS = (
    (_("Life cycle"), LIFE_CYCLE_AREAS),
    (_("Cross-cutting"), CROSS_CUTTING_AREAS),
    (_("Beyond the standard"), OTHER_AREAS),
)


def grouped_area_choices() -> list:
    """The process areas as grouped choices, for model fields, forms and blocks."""
    return [(label, [(area.value, area.label) for area in areas]) for label, areas in AREA_GROUPS]
