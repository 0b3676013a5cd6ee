"""Small ready-made activities near SW18 for the matching and search tests."""

import datetime

from assets_directory.models import AccessibilityFeature, Activity, Category

from .directory import ActivityFactory, ActivityScheduleFactory, VenueFactory

SW18 = (51.4489, -0.1971)


def local_activity(
    organisation,
    title: str,
    category: str,
    *,
    lat: float = SW18[0],
    lng: float = SW18[1],
    day: str = "tue",
    start: datetime.time | None = None,
    end: datetime.time | None = None,
    step_free: bool = True,
    **kwargs,
):
    """An in-person activity at its own hall, in one category, meeting weekly on `day` (from
    `start` to `end`, or the schedule factory's times)."""
    venue = VenueFactory(
        name=f"{title} hall", address_1="1 High Street", latitude=lat, longitude=lng
    )
    if step_free:
        venue.accessibility.set([AccessibilityFeature.objects.get(slug="step-free")])
    activity = ActivityFactory(
        parent=organisation,
        title=title,
        venue=venue,
        categories=[Category.objects.get(slug=category)],
        **kwargs,
    )
    times = {"start_time": start, "end_time": end}
    ActivityScheduleFactory(
        activity=activity, weekdays=day, **{k: v for k, v in times.items() if v is not None}
    )
    return activity


def phone_befriender(organisation, title: str = "Friendly phone calls", **kwargs):
    """A befriending service by phone across SW18, with no set times."""
    return ActivityFactory(
        parent=organisation,
        title=title,
        delivery=Activity.Delivery.PHONE,
        venue=None,
        area_served="SW18",
        categories=[Category.objects.get(slug="befriending")],
        **kwargs,
    )
