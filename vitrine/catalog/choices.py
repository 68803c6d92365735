"""Choices of the software catalog, in the users' words."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HowToGet(models.TextChoices):
    """How a reader gets the software."""

    SELF_SERVICE = "self_service", _("Self-service")
    REQUEST = "request", _("Request with approval")
    NOT_ALLOWED = "not_allowed", _("Not allowed")


class CostClass(models.TextChoices):
    """What the software costs per year, in classes a budget owner can plan with."""

    FREE = "free", _("Free")
    LOW = "low", _("Low (under 100 € a year)")
    MEDIUM = "medium", _("Medium (100 to 1,000 € a year)")
    HIGH = "high", _("High (over 1,000 € a year)")
    ON_REQUEST = "on_request", _("On request")


class LicenseType(models.TextChoices):
    """The license model behind an entry."""

    FREEWARE = "freeware", _("Freeware")
    OPEN_SOURCE = "open_source", _("Open source")
    SUBSCRIPTION_PER_USER = "subscription_user", _("Subscription per user")
    PER_DEVICE = "per_device", _("Per device")
    PERPETUAL = "perpetual", _("Perpetual license")
    CONCURRENT = "concurrent", _("Concurrent users")
    ENTERPRISE = "enterprise", _("Site or enterprise agreement")
