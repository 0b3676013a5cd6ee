from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel

from assets_directory.widgets import CommaSeparatedCheckboxes
from common.vocabulary import AUDIENCE_CHOICES, AUDIENCES, audience_slugs


class ZeroResultSearch(models.Model):
    """A search that found nothing: evidence of a gap for commissioners.

    Holds only what was looked for and roughly where (the outward code): nothing personal.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    terms = models.CharField(max_length=200, blank=True)
    categories = models.CharField(max_length=255, blank=True)
    outcode = models.CharField(max_length=8, blank=True, db_index=True)
    filters = models.CharField(
        max_length=255, blank=True, help_text="Other filters used, e.g. 'day=tue free'."
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "search with no results"
        verbose_name_plural = "searches with no results"

    def __str__(self):
        return f"{self.terms or '(no words)'} near {self.outcode or 'anywhere'}"


class IndexJournal(models.Model):
    """Activities whose index entries were updated, and when.

    A rebuild reads the directory while updates keep going to the live index; with an
    alias-swapping engine they would be lost at the swap. The rebuild writes again every
    activity journalled since it started. Rows older than a rebuild are pruned by it.
    """

    activity_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "index update"

    def __str__(self):
        return f"activity {self.activity_id} at {self.created_at:%Y-%m-%d %H:%M:%S}"


class SupplyEntry(models.Model):
    """What one indexed activity offers, as its search document says, kept beside the index:
    the commissioners' figures read every activity's supply from here in a fraction of a
    second instead of building every document again. Written and removed with the activity's
    index entry (`search.services`), so it counts exactly what search finds."""

    activity_id = models.BigIntegerField(primary_key=True)
    # Slugs of its categories and their ancestors, comma-separated.
    categories = models.TextField()
    weekly_hours = models.FloatField()
    lat = models.FloatField(null=True)
    lng = models.FloatField(null=True)
    # The box an online, phone or area-wide service serves.
    south = models.FloatField(null=True)
    west = models.FloatField(null=True)
    north = models.FloatField(null=True)
    east = models.FloatField(null=True)
    anywhere = models.BooleanField(default=False)
    written_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "supply entry"
        verbose_name_plural = "supply entries"

    def __str__(self):
        return f"activity {self.activity_id}: {self.weekly_hours:g} hours a week"


class Concept(models.Model):
    """Words people use, and what the directory holds that they mean: "lonely", "on my own"
    → befriending and social clubs. A search whose words contain one of the phrases also
    finds what it maps to (search.concepts), ranked after what matches the words themselves.
    Moderators keep the vocabulary."""

    phrases = models.TextField(
        help_text=(
            "The words people use, one phrase a line (for example: lonely, on my own). Case, "
            "accents and punctuation do not matter; a phrase matches whole words anywhere in "
            "a search, so 'lonely' also matches 'feeling lonely'."
        )
    )
    categories = models.ManyToManyField(
        "assets_directory.Category",
        blank=True,
        related_name="+",
        help_text="Activities in these categories (or below them) are found.",
    )
    access = models.ManyToManyField(
        "assets_directory.AccessibilityFeature",
        blank=True,
        related_name="+",
        verbose_name="accessibility features",
        help_text="Activities at venues with any of these features are found.",
    )
    audiences = models.CharField(
        "who it is for",
        max_length=200,
        blank=True,
        help_text="Activities for any of these people are found.",
    )
    words = models.TextField(
        "other words",
        blank=True,
        help_text=(
            "Other words to look for, one phrase a line: an activity with every word of a "
            "phrase is found (for example: peer support)."
        ),
    )
    notes = models.CharField(max_length=255, blank=True, help_text="Why it maps as it does.")

    panels = [
        FieldPanel("phrases"),
        FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
        FieldPanel("access", widget=forms.CheckboxSelectMultiple),
        FieldPanel("audiences", widget=CommaSeparatedCheckboxes(choices=AUDIENCE_CHOICES)),
        FieldPanel("words"),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["phrases"]
        verbose_name = "search concept"

    def __str__(self):
        return ", ".join(self.phrase_list()[:3]) or "(no phrases)"

    def phrase_list(self) -> list[str]:
        return lines(self.phrases)

    def word_list(self) -> list[str]:
        return lines(self.words)

    def audience_list(self) -> tuple[str, ...]:
        return audience_slugs(self.audiences)

    def clean(self):
        super().clean()
        if not self.phrase_list():
            raise ValidationError({"phrases": "Give at least one phrase people use."})
        unknown = [s for s in self.audiences.split(",") if s.strip() and s.strip() not in AUDIENCES]
        if unknown:
            raise ValidationError({"audiences": f"Unknown: {', '.join(unknown)}."})


def lines(text: str) -> list[str]:
    """The non-blank lines of a text box, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
