import uuid
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from ..geocoding import GeocodingError, geocode, normalise_postcode

# What the public sees of a private venue, in place of its name and address.
PRIVATE_ADDRESS = "Private address"
PRIVATE_ADDRESS_NOTE = "The address is given on request: contact the group to ask."


@dataclass(frozen=True)
class PublicLocation:
    """What the public may see of a venue: on its pages, in search, on maps, in calendar files
    and in the Open Referral feed. A private venue shows only its outward code, and a point at
    that code's centre (or none), never its name, street, full postcode or exact point."""

    name: str
    address_1: str
    address_2: str
    town: str
    postcode: str
    latitude: float | None
    longitude: float | None
    # Free text a group writes ("ring the bell at number 12") can give the place away.
    accessibility_notes: str = ""
    private: bool = False

    @property
    def address_lines(self) -> tuple[str, ...]:
        """The address under the name; none for a private venue, whose name says it all."""
        if self.private:
            return ()
        return tuple(
            line for line in (self.address_1, self.address_2, self.town, self.postcode) if line
        )

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def approximate(self) -> bool:
        """The point is the centre of the outward code, not the venue's own."""
        return self.private and self.has_point

    @property
    def note(self) -> str:
        """What to say in place of the address: "" when it is shown."""
        return PRIVATE_ADDRESS_NOTE if self.private else ""

    @property
    def label(self) -> str:
        """One line: "St Mary's Hall, 1 Church Road, Putney, SW15 1AA" or
        "Private address in SW15"."""
        if self.private:
            return self.name
        return ", ".join([self.name, *self.address_lines])

    @property
    def short_label(self) -> str:
        """The name and postcode: "St Mary's Hall, SW15 1AA" or "Private address in SW15"."""
        if self.private or not self.postcode:
            return self.name
        return f"{self.name}, {self.postcode}"


def outward_code(postcode: str) -> str:
    """The first half of a postcode ("SW15" of "SW15 1AA"), or "" when it is not one."""
    try:
        return normalise_postcode(postcode)[0]
    except GeocodingError:
        return ""


def outward_code_point(outcode: str) -> tuple[float, float] | None:
    """The centre of an outward code, from the configured geocoder, or None when unknown."""
    if not outcode:
        return None
    try:
        found = geocode(outcode)
    except GeocodingError:
        return None
    return found.latitude, found.longitude


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
    # The exact address and point stay stored, so a search by distance still finds the venue;
    # only what is shown changes (see public_location).
    is_private = models.BooleanField(
        "Keep the address private",
        default=False,
        help_text=(
            "For a home or a refuge: the site and the Open Referral feed show only the first "
            "half of the postcode (such as SW15), and searches by distance still find it."
        ),
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
    # A group's editors add and correct their venues without waiting for approval (an activity
    # at a new venue is still approved as a whole), so a moderator looks afterwards: set when
    # a group's editor saves the venue, cleared when a moderator has looked.
    changed_by_group_at = models.DateTimeField(
        "changed by its group", null=True, blank=True, editable=False
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("address_1"),
                FieldPanel("address_2"),
                FieldPanel("town"),
                FieldPanel("postcode"),
                FieldPanel("is_private"),
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

    @property
    def outward_code(self) -> str:
        return outward_code(self.postcode)

    def public_location(self) -> PublicLocation:
        """What the public may see of this venue: the one rule every page, map, calendar file,
        search document and feed record follows. Not cached: an edit shows at once."""
        if not self.is_private:
            return PublicLocation(
                name=self.name,
                address_1=self.address_1,
                address_2=self.address_2,
                town=self.town,
                postcode=self.postcode,
                latitude=self.latitude,
                longitude=self.longitude,
                accessibility_notes=self.accessibility_notes.strip(),
            )
        outcode = self.outward_code
        point = outward_code_point(outcode) if self.has_point else None
        return PublicLocation(
            name=f"{PRIVATE_ADDRESS} in {outcode}" if outcode else PRIVATE_ADDRESS,
            # Address fields that must hold something (the Open Referral feed's) say why not.
            address_1=PRIVATE_ADDRESS,
            address_2="",
            town="",
            postcode=outcode,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            private=True,
        )

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
