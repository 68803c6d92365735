"""The software catalog: what is available, for whom, how to get it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, Site
from wagtail.search import index

from vitrine.audiences.models import AudienceTargeted
from vitrine.portal.indexing import words

from .choices import CostClass, HowToGet, LicenseType

if TYPE_CHECKING:
    from django.http import HttpRequest

MAX_LEAD_TIME_DAYS = 365
_PAGE_CACHE_ATTR = "_vitrine_catalog_page"


def unique_slug(model: type[models.Model], *bases: str, exclude_pk=None, max_length: int) -> str:
    """The first slug made from `bases` that no other row of `model` uses, else one numbered."""
    others = model._default_manager.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    candidates = [slugify(b)[:max_length].strip("-") for b in bases]
    candidates = [c for c in candidates if c] or ["eintrag"]
    for candidate in candidates:
        if not others.filter(slug=candidate).exists():
            return candidate
    root = candidates[0]
    candidate, number = root, 1
    while others.filter(slug=candidate).exists():
        number += 1
        suffix = f"-{number}"
        candidate = root[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate


class CatalogCategory(models.Model):
    """A group of catalog entries, such as "Office and collaboration"."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_("Used in the catalog's filter links. Left empty, it is made from the name."),
    )
    order = models.PositiveIntegerField(
        _("order"), default=100, help_text=_("Categories with a lower number come first.")
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("order")]

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("catalog category")
        verbose_name_plural = _("catalog categories")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="catalog_category_name_unique_ci",
                violation_error_message=_("A category with this name exists already."),
            ),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(slug=""),
                name="catalog_category_name_slug_not_empty",
                violation_error_message=_("A category needs a name and a slug."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = (self.name or "").strip()
        if not self.slug and self.name:
            self.slug = unique_slug(CatalogCategory, self.name, exclude_pk=self.pk, max_length=80)

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(CatalogCategory, self.name, exclude_pk=self.pk, max_length=80)
        renamed = (
            self.pk is not None
            and not CatalogCategory.objects.filter(pk=self.pk, name=self.name).exists()
        )
        super().save(*args, **kwargs)
        if renamed:
            # The entries' search index holds the category name; keep it current.
            for entry in self.entries.all():
                index.insert_or_update_object(entry)


class CatalogEntryAlternative(models.Model):
    """One "use this instead" link from an entry to another entry."""

    entry = models.ForeignKey(
        "CatalogEntry",
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    alternative = models.ForeignKey(
        "CatalogEntry",
        verbose_name=_("alternative"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("alternative")
        verbose_name_plural = _("alternatives")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "alternative"], name="catalog_alternative_unique"
            ),
            models.CheckConstraint(
                condition=~Q(entry=F("alternative")),
                name="catalog_alternative_not_itself",
                violation_error_message=_("An entry cannot be its own alternative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.alternative_id}"


class CatalogEntry(AudienceTargeted, index.Indexed, ClusterableModel):
    """A piece of software in the catalog: for whom, how to get it, what it costs."""

    product = models.CharField(_("product"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=140,
        unique=True,
        blank=True,
        help_text=_("The last part of the entry's address. Left empty, it is made from the name."),
    )
    vendor = models.CharField(_("vendor"), max_length=120)
    category = models.ForeignKey(
        CatalogCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    description = models.TextField(
        _("short description"),
        max_length=1000,
        help_text=_("What the software does, in two or three plain sentences."),
    )
    how_to_get = models.CharField(
        _("how to get it"),
        max_length=20,
        choices=HowToGet.choices,
        default=HowToGet.REQUEST,
    )
    how_to_request = models.TextField(
        _("how to request it"),
        max_length=1000,
        blank=True,
        help_text=_("The steps a reader takes, e.g. which form, which approver."),
    )
    request_url = models.URLField(
        _("request link"),
        blank=True,
        help_text=_("Where the reader requests or installs it, e.g. the service portal form."),
    )
    lead_time_days = models.PositiveSmallIntegerField(
        _("typical lead time in working days"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_LEAD_TIME_DAYS)],
        help_text=_("From request to working installation, as readers usually experience it."),
    )
    cost_class = models.CharField(
        _("cost class"), max_length=20, choices=CostClass.choices, blank=True
    )
    license_type = models.CharField(
        _("license type"), max_length=20, choices=LicenseType.choices, blank=True
    )
    alternatives = ParentalManyToManyField(
        "self",
        through=CatalogEntryAlternative,
        through_fields=("entry", "alternative"),
        symmetrical=False,
        blank=True,
        related_name="alternative_for",
        verbose_name=_("alternatives"),
        help_text=_("What to use instead, e.g. an approved tool with the same purpose."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    panels = [
        FieldPanel("product"),
        FieldRowPanel([FieldPanel("vendor"), FieldPanel("category")]),
        FieldPanel("slug"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("benefit"), FieldPanel("audiences", widget=forms.CheckboxSelectMultiple)],
            heading=_("Audience and benefit"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("how_to_get"),
                FieldPanel("how_to_request"),
                FieldPanel("request_url"),
                FieldPanel("lead_time_days"),
            ],
            heading=_("How to get it"),
        ),
        FieldRowPanel([FieldPanel("cost_class"), FieldPanel("license_type")]),
        FieldPanel("alternatives"),
    ]

    search_fields = [
        index.SearchField("product", boost=4),
        index.AutocompleteField("product"),
        index.SearchField("vendor", boost=2),
        index.AutocompleteField("vendor"),
        *words("description", "benefit", "how_to_request"),
        index.RelatedFields("category", words("name")),
        index.FilterField("category"),
        index.FilterField("how_to_get"),
        index.FilterField("cost_class"),
        index.FilterField("license_type"),
        index.FilterField("product"),
    ]

    class Meta:
        ordering = ["product", "vendor"]
        verbose_name = _("catalog entry")
        verbose_name_plural = _("catalog entries")
        constraints = [
            models.UniqueConstraint(
                Lower("product"),
                Lower("vendor"),
                name="catalog_entry_product_vendor_unique_ci",
                violation_error_message=_(
                    "The catalog has an entry for this product and vendor already."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(product="") & ~Q(vendor="") & ~Q(slug=""),
                name="catalog_entry_required_text",
                violation_error_message=_("An entry needs a product, a vendor and a slug."),
            ),
            models.CheckConstraint(
                condition=Q(how_to_get__in=HowToGet.values),
                name="catalog_entry_how_to_get_valid",
                violation_error_message=_("Choose how readers get the software."),
            ),
            models.CheckConstraint(
                condition=Q(cost_class__in=["", *CostClass.values]),
                name="catalog_entry_cost_class_valid",
                violation_error_message=_("Choose a cost class from the list."),
            ),
            models.CheckConstraint(
                condition=Q(license_type__in=["", *LicenseType.values]),
                name="catalog_entry_license_type_valid",
                violation_error_message=_("Choose a license type from the list."),
            ),
            models.CheckConstraint(
                condition=Q(lead_time_days__isnull=True)
                | Q(lead_time_days__gte=0, lead_time_days__lte=MAX_LEAD_TIME_DAYS),
                name="catalog_entry_lead_time_range",
                violation_error_message=_("The lead time is between 0 and 365 working days."),
            ),
            models.CheckConstraint(
                condition=~Q(how_to_get=HowToGet.NOT_ALLOWED) | Q(request_url=""),
                name="catalog_entry_no_request_link_when_not_allowed",
                violation_error_message=_(
                    "Software that is not allowed has no request link; name alternatives instead."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} ({self.vendor})" if self.vendor else self.product

    def clean(self) -> None:
        self.product = (self.product or "").strip()
        self.vendor = (self.vendor or "").strip()
        if self.how_to_get == HowToGet.NOT_ALLOWED and self.request_url:
            raise ValidationError(
                {
                    "request_url": _(
                        "Software that is not allowed has no request link; "
                        "name alternatives instead."
                    )
                }
            )
        if not self.slug and self.product:
            self.slug = unique_slug(
                CatalogEntry,
                self.product,
                f"{self.product} {self.vendor}",
                exclude_pk=self.pk,
                max_length=140,
            )

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(
                CatalogEntry,
                self.product,
                f"{self.product} {self.vendor}",
                exclude_pk=self.pk,
                max_length=140,
            )
        super().save(*args, **kwargs)

    @property
    def is_allowed(self) -> bool:
        return self.how_to_get != HowToGet.NOT_ALLOWED

    def get_url(self, request: HttpRequest | None = None) -> str:
        """The entry's path below the catalog page, or "" when no catalog page is live."""
        page = CatalogPage.for_request(request)
        if page is None:
            return ""
        base = page.get_url(request=request) or ""
        return base + page.reverse_subpage("entry", kwargs={"slug": self.slug})


class CatalogPage(RoutablePageMixin, Page):
    """Lists the catalog with search and filters; each entry has its own URL below it."""

    intro = RichTextField(_("introduction"), blank=True)
    per_page = models.PositiveSmallIntegerField(
        _("entries per page"),
        default=20,
        validators=[MaxValueValidator(100)],
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("per_page")]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("software catalog page")
        verbose_name_plural = _("software catalog pages")
        constraints = [
            models.CheckConstraint(
                condition=Q(per_page__gte=1, per_page__lte=100),
                name="catalog_page_per_page_range",
                violation_error_message=_("Show between 1 and 100 entries per page."),
            )
        ]

    @classmethod
    def for_request(cls, request: HttpRequest | None = None) -> CatalogPage | None:
        """The live catalog page of the request's site (else any live one), once per request."""
        if request is not None and hasattr(request, _PAGE_CACHE_ATTR):
            return getattr(request, _PAGE_CACHE_ATTR)
        pages = cls.objects.live().order_by("path")
        page = None
        site = Site.find_for_request(request) if request is not None else None
        if site is not None:
            page = pages.descendant_of(site.root_page, inclusive=True).first()
        if page is None:
            page = pages.first()
        if request is not None:
            setattr(request, _PAGE_CACHE_ATTR, page)
        return page

    def get_context(self, request, *args, **kwargs):
        from .views import catalog_listing_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalog_listing_context(self, request))
        return context

    @path("<slug:slug>/", name="entry")
    def entry(self, request, slug: str):
        from .views import catalog_entry_context

        # Page.get_context, not ours: the detail needs none of the listing's work.
        context = super().get_context(request)
        context.update(catalog_entry_context(self, request, slug))
        return TemplateResponse(request, "catalog/catalog_entry.html", context)
