"""Choices of the portal, in the users' words."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InfoBlockKind(models.TextChoices):
    TASKS_AND_GOALS = "tasks_goals", _("Tasks and goals")
    ORGANISATION_AND_PROCESSES = "organisation_processes", _("Organisation and processes")
    PROCEDURES_AND_RULES = "procedures_rules", _("Procedures and rules")
    CONTACTS = "contacts", _("Contacts")


class Urgency(models.TextChoices):
    INFO = "info", _("Information")
    IMPORTANT = "important", _("Important")
    CRITICAL = "critical", _("Critical")


class LifecycleStageKey(models.TextChoices):
    REQUEST = "request", _("Need and request")
    APPROVAL = "approval", _("Approval")
    PROCUREMENT = "procurement", _("Procurement")
    PROVISIONING = "provisioning", _("Provisioning")
    USE = "use", _("Use")
    RETIREMENT = "retirement", _("Return and harvesting")
