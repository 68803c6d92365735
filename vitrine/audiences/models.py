"""Target groups (audiences) and how a reader belongs to them."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

EVERYONE_SLUG = "alle"


class AudienceQuerySet(models.QuerySet):
    def everyone(self) -> "Audience | None":
        return self.filter(is_everyone=True).first()


class Audience(index.Indexed, models.Model):
    """A target group with its needs, arguments and tone."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    who = models.TextField(_("who they are"), blank=True)
    needs = models.TextField(_("what matters to them"), blank=True)
    tone = models.TextField(_("tone to use with them"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    is_everyone = models.BooleanField(
        _("everyone"),
        default=False,
        help_text=_("Every reader belongs to this audience, also readers who are not logged in."),
    )
    groups = models.ManyToManyField(
        Group,
        verbose_name=_("directory groups"),
        blank=True,
        related_name="audiences",
        help_text=_(
            "Members of these groups belong to the audience. Groups from single sign-on "
            "or LDAP map here without any code."
        ),
    )

    objects = AudienceQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("who"),
        FieldPanel("needs"),
        FieldPanel("tone"),
        FieldPanel("sort_order"),
        FieldPanel("is_everyone"),
        FieldPanel("groups"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        constraints = [
            models.UniqueConstraint(
                fields=["is_everyone"],
                condition=models.Q(is_everyone=True),
                name="audiences_single_everyone",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.is_everyone:
            other = Audience.objects.filter(is_everyone=True).exclude(pk=self.pk).first()
            if other is not None:
                raise ValidationError(
                    {
                        "is_everyone": _(
                            "Only one audience can stand for everyone, and “%(name)s” does already."
                        )
                        % {"name": other.name}
                    }
                )


class ReaderProfile(models.Model):
    """A reader's own choice of audiences and the audiences an editor assigned."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reader_profile",
        verbose_name=_("user"),
    )
    chosen_audiences = models.ManyToManyField(
        Audience,
        blank=True,
        related_name="choosing_readers",
        verbose_name=_("audiences chosen by the reader"),
    )
    assigned_audiences = models.ManyToManyField(
        Audience,
        blank=True,
        related_name="assigned_readers",
        verbose_name=_("audiences assigned by an editor"),
    )

    class Meta:
        verbose_name = _("reader profile")
        verbose_name_plural = _("reader profiles")

    def __str__(self) -> str:
        return str(self.user)


class AudienceTargeted(models.Model):
    """Mixin for everything published: whom it is for, and what the reader gains.

    No audience chosen means the piece is for everyone.
    """

    audiences = ParentalManyToManyField(
        Audience,
        blank=True,
        verbose_name=_("audiences"),
        help_text=_("Whom this is for. Leave empty for everyone."),
    )
    benefit = models.CharField(
        _("your benefit"),
        max_length=240,
        blank=True,
        help_text=_("One sentence: what the reader gains („Ihr Nutzen“)."),
    )

    class Meta:
        abstract = True

    def is_for(self, audiences) -> bool:
        """True when the piece is meant for any of the given audiences."""
        own = {a.pk for a in self.audiences.all()}
        if not own:
            return True
        return bool(own & {a.pk for a in audiences}) or any(
            a.is_everyone for a in self.audiences.all()
        )
