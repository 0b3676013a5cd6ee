from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class CategoryManager(models.Manager):
    def get_queryset(self):
        # Every label shows "Parent › Child", so fetch the parent with each category.
        return super().get_queryset().select_related("parent")

    def in_tree_order(self):
        """Each top-level category followed by its children (top-level sort orders are unique)."""
        return self.order_by(
            Coalesce("parent__sort_order", "sort_order").asc(),
            F("parent").asc(nulls_first=True),
            "sort_order",
            "name",
        )

    def top_level(self):
        """The categories the home page and the directory show as tiles, in their order."""
        return self.filter(parent__isnull=True).order_by("sort_order", "name")


class Category(index.Indexed, models.Model):
    """A node of the editable category tree (two levels in the default seed)."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.CASCADE
    )
    description = models.CharField(max_length=255, blank=True)
    icon = models.CharField(
        max_length=40,
        blank=True,
        help_text="Name of an icon in static/icons/categories (without .svg).",
    )
    sort_order = models.PositiveIntegerField(default=0)

    objects = CategoryManager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("description"),
        FieldPanel("icon"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class AccessibilityFeature(models.Model):
    """A fixed vocabulary of venue accessibility features, each with an icon and plain words."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=255, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Condition(models.Model):
    """A health condition an activity can be meant for ("People living with dementia"), from a
    vocabulary moderators keep, so the matching engine can tell who an activity is for."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    sort_order = models.PositiveIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class SchoolHolidayQuerySet(models.QuerySet):
    def ranges(self) -> tuple:
        """(first day, last day) of each holiday, for the schedule's term-time rule."""
        return tuple(self.values_list("start_date", "end_date"))


class SchoolHoliday(models.Model):
    """A school holiday, so that "term time only" sessions skip it."""

    name = models.CharField(max_length=100)
    start_date = models.DateField()
    end_date = models.DateField()

    objects = SchoolHolidayQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("start_date"), FieldPanel("end_date")]

    class Meta:
        ordering = ["start_date"]

    def __str__(self):
        return f"{self.name} ({self.start_date:%d %b} to {self.end_date:%d %b %Y})"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The holiday must end on or after its first day."})
