"""The review trail of info blocks: confirmations and reminders."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewConfirmation(models.Model):
    """An owner confirmed that an info block is still valid: who and when."""

    page = models.ForeignKey(
        "portal.InfoBlockPage",
        on_delete=models.CASCADE,
        related_name="review_confirmations",
        verbose_name=_("info block"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    previous_review_by = models.DateField(_("previous review date"), null=True)
    new_review_by = models.DateField(_("new review date"))

    class Meta:
        ordering = ["-confirmed_at"]
        verbose_name = _("review confirmation")
        verbose_name_plural = _("review confirmations")

    def __str__(self) -> str:
        return f"{self.page} – {self.confirmed_at:%Y-%m-%d}"


class ReviewReminder(models.Model):
    """Reminders sent for one review date of an info block, and its escalation."""

    page = models.ForeignKey(
        "portal.InfoBlockPage",
        on_delete=models.CASCADE,
        related_name="review_reminders",
        verbose_name=_("info block"),
    )
    review_by = models.DateField(_("review date reminded of"))
    first_sent_at = models.DateTimeField(_("first reminder"))
    last_sent_at = models.DateTimeField(_("last reminder"))
    reminder_count = models.PositiveSmallIntegerField(_("reminders sent"), default=1)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        ordering = ["-last_sent_at"]
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        constraints = [
            models.UniqueConstraint(fields=["page", "review_by"], name="portal_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.page} – {self.review_by}"
