"""Builds the demo borough (the directory's own data) with a fixed seed.

It makes its pages and rows through the models, as an editor's would be made: test libraries
(factory_boy and its kin) are not installed in production, where this command also runs.

The demo of the whole site, accounts and people included, is composed in `cms.demo`.
"""

import datetime
import random
import zlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from assets_directory.geocoding import geocode
from assets_directory.models import (
    AccessibilityFeature,
    Activity,
    ActivitySchedule,
    Category,
    Condition,
    DirectoryIndexPage,
    Organisation,
    SchoolHoliday,
    Venue,
)
from assets_directory.services import organisation_grant_editors
from common.vocabulary import WEEKDAY_SLUGS

from . import content
from .bulk import bulk_activities
from .pictures import add_demo_photos

SEED = 2026
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# The directory's demo accounts, with published passwords: only `manage.py load_demo` (cms)
# makes them, and it refuses to with DEBUG off.
DEMO_ACCOUNTS = {
    "moderator": ("moderator", "common-ground-moderator", "Directory moderator"),
    "editor": ("editor", "common-ground-editor", "Editor of one organisation"),
}

SCHOOL_HOLIDAYS_2026_27 = [
    ("October half term", datetime.date(2026, 10, 26), datetime.date(2026, 10, 30)),
    ("Christmas holidays", datetime.date(2026, 12, 21), datetime.date(2027, 1, 1)),
    ("February half term", datetime.date(2027, 2, 15), datetime.date(2027, 2, 19)),
    ("Easter holidays", datetime.date(2027, 3, 29), datetime.date(2027, 4, 9)),
    ("May half term", datetime.date(2027, 5, 31), datetime.date(2027, 6, 4)),
    ("Summer holidays", datetime.date(2027, 7, 22), datetime.date(2027, 9, 1)),
]


@dataclass
class DemoSummary:
    organisations: int = 0
    activities: int = 0
    venues: int = 0
    photos: int = 0
    already_loaded: bool = False


class DemoBuilder:
    # Up to this many activities are made one by one through the factories, with tags and
    # varied schedules; any more are written in bulk (see bulk.py).
    DETAILED_LIMIT = 400

    def __init__(
        self,
        *,
        seed: int = SEED,
        organisations: int = 150,
        activities: int = 400,
        progress=None,
    ):
        self.random = random.Random(seed)
        self.seed = seed
        self.n_organisations = organisations
        self.n_activities = activities
        self.progress = progress
        self.today = timezone.localdate()
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.features = {f.slug: f for f in AccessibilityFeature.objects.all()}
        self.conditions = {c.slug: c for c in Condition.objects.all()}

    def build(self) -> DemoSummary:
        summary = DemoSummary()
        index = DirectoryIndexPage.objects.first()
        if Organisation.objects.exists():
            summary.already_loaded = True
            return summary
        self._check_vocabulary()
        with transaction.atomic():
            for name, start, end in SCHOOL_HOLIDAYS_2026_27:
                SchoolHoliday.objects.create(name=name, start_date=start, end_date=end)
            venues = self._venues()
            summary.venues = len(venues)
            organisations = self._organisations(index)
            summary.organisations = len(organisations)
            detailed = min(self.n_activities, self.DETAILED_LIMIT)
            # One group meets at a private address (counted among the activities asked for).
            private = self._private_group(organisations) if detailed > 1 else None
            if private is not None:
                summary.venues += 1
                detailed -= 1
            summary.activities = self._activities(organisations, venues, detailed)
            summary.activities += private is not None
            # Drawn from a seed of their own: the rest of the borough is as it always was.
            summary.photos = add_demo_photos([o for o, _, _ in organisations], seed=self.seed)
        # Bulk batches commit one by one, so a benchmark load does not hold one huge transaction.
        for organisation, _, _ in organisations:
            organisation.refresh_from_db(fields=["numchild"])
        summary.activities += bulk_activities(
            builder=self,
            organisations=organisations,
            venues=venues,
            count=self.n_activities - summary.activities,
            progress=self.progress,
        )
        return summary

    def _check_vocabulary(self):
        wanted = {slug for theme in content.THEMES for a in theme["activities"] for slug in a[1]}
        missing = wanted - set(self.categories)
        if missing:
            raise RuntimeError(f"Demo content names unknown categories: {sorted(missing)}")

    def _postcode(self, outcode: str) -> str:
        r = self.random
        return f"{outcode} {r.randint(1, 9)}{r.choice(INWARD_LETTERS)}{r.choice(INWARD_LETTERS)}"

    def _venues(self):
        venues = []
        for place, outcode in content.NEIGHBOURHOODS:
            centre = geocode(outcode)
            kinds = self.random.sample(content.VENUE_KINDS, k=6)
            for kind, features in kinds:
                name = f"{place} {kind}"
                venue = Venue.objects.create(
                    name=name,
                    address_1=(
                        f"{self.random.randint(1, 240)} {self.random.choice(content.STREETS)}"
                    ),
                    address_2="",
                    town="London",
                    postcode=self._postcode(outcode),
                    # Spread venues around the outward code's centroid (about a kilometre).
                    latitude=round(centre.latitude + self.random.uniform(-0.008, 0.008), 6),
                    longitude=round(centre.longitude + self.random.uniform(-0.012, 0.012), 6),
                    accessibility_notes=(
                        "Ramp at the side entrance." if "step-free" in features else ""
                    ),
                )
                venue.accessibility.set([self.features[f] for f in features if f in self.features])
                venues.append((venue, place))
        return venues

    def _private_group(self, organisations):
        """A survivors' peer group that meets at a refuge, whose address is kept private, run
        by the first mental health organisation (None in a borough without one).

        Made without drawing from the seed, so the rest of the borough is as it always was."""
        found = next(
            ((o, place) for o, theme, place in organisations if theme["kind"] == "mental_health"),
            None,
        )
        if found is None:
            return None
        organisation, place = found
        outcode = dict(content.NEIGHBOURHOODS)[place]
        centre = geocode(outcode)
        venue = Venue.objects.create(
            name=f"{place} women's refuge",
            address_1="7 Fairfield Close",
            town="London",
            postcode=f"{outcode} 9XJ",
            latitude=round(centre.latitude + 0.004, 6),
            longitude=round(centre.longitude - 0.006, 6),
            is_private=True,
            accessibility_notes="Buzz at the blue gate on Fairfield Close.",
        )
        venue.accessibility.set([self.features[f] for f in ["step-free"] if f in self.features])
        title = "Survivors' peer support group"
        activity = Activity(
            title=title,
            slug=slugify(title),
            summary="A safe, confidential group for women who have lived with domestic abuse.",
            description=(
                "<p>Meet other women who understand, with a trained peer supporter. The group "
                "meets somewhere safe: we tell you where when you get in touch.</p>"
            ),
            venue=venue,
            delivery="in_person",
            cost="free",
            booking="booking",
            how_to_join="Call or e-mail us: we will have a chat first and tell you where we meet.",
            who_for="Women",
            **{k: v for k, v in content.audience_fields("Women").items() if k != "conditions"},
            contact_name="Amira",
            contact_email=f"amira@{organisation.slug}.example.org",
            contact_phone=organisation.phone,
            status=Activity.Status.RUNNING,
            last_reviewed=self.today,
        )
        organisation.add_child(instance=activity)
        activity.categories.set(
            [self.categories[s] for s in ["peer-support"] if s in self.categories]
        )
        activity.save()
        ActivitySchedule.objects.create(
            activity=activity,
            frequency=ActivitySchedule.Frequency.WEEKLY,
            weekdays="wed",
            start_time=datetime.time(10, 30),
            end_time=datetime.time(12, 0),
        )
        return activity

    def _organisations(self, index):
        organisations, seen = [], set()
        themes = content.THEMES
        attempts = 0
        while len(organisations) < self.n_organisations and attempts < self.n_organisations * 20:
            attempts += 1
            theme = themes[len(organisations) % len(themes)]
            place, outcode = self.random.choice(content.NEIGHBOURHOODS)
            title = self.random.choice(theme["orgs"]).format(
                place=place, park=self.random.choice(content.PARKS)
            )
            if title in seen:
                continue
            seen.add(title)
            slug = slugify(title)
            organisation = Organisation(
                title=title,
                slug=slug,
                kind=theme["kind"],
                description=(
                    f"<p>{title} is run by local people for local people in and around {place}. "
                    "Everyone is welcome.</p>"
                ),
                website=f"https://{slug}.example.org",
                email=f"hello@{slug}.example.org",
                phone=f"020 8{self.random.randint(100, 999)} {self.random.randint(1000, 9999)}",
                areas_served=f"{place} and nearby ({outcode})",
                languages=self.random.choice(
                    ["English", "English", "English, Polish", "English, Urdu", "English, Spanish"]
                ),
                charity_number=(
                    str(self.random.randint(1000000, 1199999))
                    if theme["kind"] in ("charity", "carers", "mental_health")
                    else ""
                ),
            )
            index.add_child(instance=organisation)
            organisations.append((organisation, theme, place))
        return organisations

    def _activities(self, organisations, venues, wanted):
        made = 0
        round_number = 0
        per_org = {}
        while made < wanted:
            for organisation, theme, place in organisations:
                if made >= wanted:
                    break
                taken = per_org.setdefault(organisation.pk, set())
                choices = [a for a in theme["activities"] if a[0] not in taken]
                if not choices or (round_number > 0 and self.random.random() < 0.3):
                    continue
                pattern = self.random.choice(choices)
                taken.add(pattern[0])
                self._activity(organisation, place, pattern, venues)
                made += 1
            round_number += 1
            if round_number > 50:
                break
        return made

    def _activity(self, organisation, place, pattern, venues):
        r = self.random
        title_pattern, slugs, summary, cost, booking, delivery, frequency, audience = pattern
        title = title_pattern.format(park=r.choice(content.PARKS), place=place)
        local = [v for v, p in venues if p == place] or [v for v, _ in venues]
        venue = r.choice(local) if delivery == "in_person" else None
        roll = r.random()
        status = Activity.Status.TEMPORARILY_CLOSED if roll < 0.04 else Activity.Status.RUNNING
        stale = r.random() < 0.12
        last_reviewed = self.today - datetime.timedelta(
            days=r.randint(200, 400) if stale else r.randint(0, 150)
        )
        amount = None
        details = ""
        if cost == "paid":
            amount = r.choice(["2.00", "3.00", "4.50", "5.00", "6.00", "8.00"])
            details = r.choice(
                ["a session", "a session, first one free", "a session, concessions £2"]
            )
        elif cost == "pay_what_you_can":
            details = "suggested £2, nobody turned away"
        audience_fields = content.audience_fields(audience)
        conditions = audience_fields.pop("conditions")
        contact = f"{r.choice(content.FIRST_NAMES)} {r.choice(content.LAST_NAMES)}"
        activity = Activity(
            title=title,
            slug=slugify(title)[:80],
            summary=summary,
            description=(
                f"<p>New people are always welcome: {contact} will meet you at the door "
                "and show you round. Come as you are.</p>"
            ),
            venue=venue,
            delivery=delivery,
            area_served="" if delivery in ("in_person", "online") else content.BOROUGH_AREA,
            cost=cost,
            cost_amount=amount,
            cost_details=details,
            booking=booking,
            # Derived, not drawn: another draw would change every listing after this one.
            referral_route=(
                Activity.ReferralRoute.DROP_IN
                if booking == "drop_in"
                else Activity.ReferralRoute.TAKES_REFERRALS
            ),
            capacity=_demo_capacity(title),
            how_to_join={
                "drop_in": "Just come along. No need to book.",
                "booking": f"Book a place with {contact.split()[0]} by phone or e-mail.",
                "referral": "Ask your GP, social prescriber or nurse to refer you.",
            }[booking],
            who_for=audience,
            **audience_fields,
            contact_name=contact,
            contact_email=f"{contact.split()[0].lower()}@{organisation.slug}.example.org",
            contact_phone=organisation.phone,
            status=status,
            last_reviewed=last_reviewed,
        )
        organisation.add_child(instance=activity)
        # Tags and categories are held by the page (modelcluster) until it is saved again.
        activity.tags.add(*[w for w in title.lower().split() if len(w) > 4][:3])
        activity.categories.set([self.categories[s] for s in slugs])
        activity.conditions.set([self.conditions[s] for s in conditions])
        activity.save()
        Activity.objects.filter(pk=activity.pk).update(last_reviewed=last_reviewed)
        self._schedule(activity, frequency, audience)
        return activity

    def _schedule(self, activity, frequency, audience):
        r = self.random
        start, end = r.choice(content.TIME_SLOTS)
        term_time = "Children" in audience or "Young people" in audience or "under 5" in audience
        kwargs = {
            "activity": activity,
            "start_time": start,
            "end_time": end,
            "term_time_only": term_time,
        }
        if frequency == "weekly":
            days = r.sample(WEEKDAY_SLUGS[:6], k=r.choice([1, 1, 1, 2]))
            kwargs.update(frequency=ActivitySchedule.Frequency.WEEKLY, weekdays=",".join(days))
        elif frequency == "fortnightly":
            anchor = self.today - datetime.timedelta(
                days=self.today.weekday() + 7 * r.randint(0, 1)
            )
            kwargs.update(
                frequency=ActivitySchedule.Frequency.FORTNIGHTLY,
                weekdays=r.choice(WEEKDAY_SLUGS[:5]),
                starts_on=anchor,
            )
        elif frequency == "monthly":
            kwargs.update(
                frequency=ActivitySchedule.Frequency.MONTHLY,
                weekdays=r.choice(WEEKDAY_SLUGS[:6]),
                nth=r.choice([1, 2, 3, 4, -1]),
            )
        else:
            kwargs.update(
                frequency=ActivitySchedule.Frequency.ONCE,
                weekdays="",
                on_date=self.today + datetime.timedelta(days=r.randint(7, 90)),
            )
        ActivitySchedule.objects.create(**kwargs)


def ensure_demo_accounts() -> list[tuple[str, str, str]]:
    """The directory's demo accounts, made once: a moderator, and an editor of the first
    organisation. Returns (role, username, password) of each, so they can always be printed."""
    moderators = Group.objects.get(name="Moderators")
    accounts = [_account("moderator", "Mo", "Derator", lambda: moderators)]
    organisation = Organisation.objects.order_by("path").first()
    if organisation is not None:
        role, username, password = _account(
            "editor", "Edie", "Tor", lambda: organisation_grant_editors(organisation=organisation)
        )
        accounts.append((f"{role} ({organisation.title})", username, password))
    return accounts


def _account(key, first_name, last_name, group) -> tuple[str, str, str]:
    """Create a demo account once, in the group `group()` returns; return its credentials."""
    username, password, role = DEMO_ACCOUNTS[key]
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@example.org",
            "first_name": first_name,
            "last_name": last_name,
        },
    )
    if created:
        user.set_password(password)
        user.save()
        user.groups.add(group())
    return (role, username, password)


__all__ = ["DEMO_ACCOUNTS", "DemoBuilder", "DemoSummary", "SchoolHoliday", "ensure_demo_accounts"]


def _demo_capacity(title: str) -> str:
    """About one listing in 25 full and one in 25 with a waiting list, fixed by its title."""
    return {0: Activity.Capacity.FULL, 1: Activity.Capacity.WAITING_LIST}.get(
        zlib.crc32(title.encode()) % 25, Activity.Capacity.OPEN
    )
