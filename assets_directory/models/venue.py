import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from ..geocoding import GeocodingError, geocode, normalise_postcode


class Venue(index.Indexed, models.Model):
    """A place where activities happen, shared by every activity held there."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=255)
    address_1 = models.CharField("address line 1", max_length=255, blank=True)
    address_2 = models.CharField("address line 2", max_length=255, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(
        max_length=10, help_text="The full postcode, e.g. SW18 4DJ, or its first part, e.g. SW18."
    )
    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Leave empty to place the venue from its postcode.",
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    accessibility = models.ManyToManyField(
        "assets_directory.AccessibilityFeature", blank=True, related_name="venues"
    )
    accessibility_notes = models.TextField(
        blank=True, help_text="Anything else a visitor should know, e.g. 'ramp at the side door'."
    )
    # The group that added it: its editors may correct it. Venues without one (the demo's,
    # and those moderators add) are shared, and only moderators change them.
    organisation = models.ForeignKey(
        "assets_directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="venues",
        verbose_name="added by",
        help_text="The group whose editors may change this venue. Empty: only moderators.",
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("address_1"),
                FieldPanel("address_2"),
                FieldPanel("town"),
                FieldPanel("postcode"),
            ],
            heading="Address",
        ),
        MultiFieldPanel(
            [FieldPanel("latitude"), FieldPanel("longitude")],
            heading="Point on the map",
            classname="venue-map-panel",
        ),
        FieldPanel("accessibility", widget=forms.CheckboxSelectMultiple),
        FieldPanel("accessibility_notes"),
        FieldPanel("organisation"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("postcode"),
        index.SearchField("town"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.postcode}" if self.postcode else self.name

    @property
    def address_lines(self):
        return [line for line in (self.address_1, self.address_2, self.town, self.postcode) if line]

    @property
    def has_point(self):
        return self.latitude is not None and self.longitude is not None

    def clean(self):
        errors = {}
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": "Give both latitude and longitude, or leave both empty."}
            )
        if self.postcode:
            try:
                outcode, full = normalise_postcode(self.postcode)
                self.postcode = full or outcode
                if not self.has_point or self._moved_without_new_point():
                    result = geocode(self.postcode)
                    self.latitude, self.longitude = result.latitude, result.longitude
            except GeocodingError as exc:
                errors["postcode"] = exc.message
        if errors:
            raise ValidationError(errors)

    def _moved_without_new_point(self) -> bool:
        """The postcode changed but the point did not: the old point is now wrong."""
        if self.pk is None:
            return False
        before = (
            Venue.objects.filter(pk=self.pk).values("postcode", "latitude", "longitude").first()
        )
        if before is None:
            return False
        return (
            before["postcode"].replace(" ", "").upper() != self.postcode.replace(" ", "").upper()
            and before["latitude"] == self.latitude
            and before["longitude"] == self.longitude
        )
