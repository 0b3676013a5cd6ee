"""The demo's neighbouring directory: a small feed from over the border, harvested twice, so
that a moderator finds on `make run` what harvesting brings: records marked as the source's, a
bad record in the report, a term waiting in the crosswalk, a likely duplicate of a local
listing, and a change from the feed waiting as a conflict on a record taken over.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import orjson
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assets_directory.models import Activity

from . import services
from .models import FeedSource, HarvestedRecord

DEMO_SOURCE = "Merton Connected (demo feed)"
_ORG = {
    "id": "6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b1001",
    "name": "Colliers Wood Community Centre",
    "description": "A community centre by the Wandle, run by local volunteers.",
    "email": "hello@collierswood.example.org",
    "website": "https://collierswood.example.org",
    "organization_identifiers": [
        {"id": "6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b1002", "organization_id":
         "6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b1001", "identifier_scheme": "GB-CHC",
         "identifier_type": "Charity number", "identifier": "1187654"}
    ],
}  # fmt: skip
_HALL = {
    "id": "6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b2001",
    "location_type": "physical",
    "name": "Colliers Wood Community Centre",
    "latitude": 51.4177,
    "longitude": -0.1781,
    "addresses": [
        {"id": "6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b2002", "address_1": "66 High Street",
         "city": "London", "state_province": "", "postal_code": "SW19 2BY", "country": "GB",
         "address_type": "physical"}
    ],
    "accessibility": [{"id": "6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b2003",
                       "description": "Step-free entrance and an accessible toilet"}],
}  # fmt: skip


def _service(number: int, name: str, description: str, day: str, start: str, end: str,
             term: tuple[str, str], **extra) -> dict:  # fmt: skip
    record = {
        "id": f"6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b3{number:03d}",
        "name": name,
        "description": description,
        "status": "active",
        "organization": _ORG,
        "schedules": [{"id": f"6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b4{number:03d}", "freq": "WEEKLY",
                       "interval": 1, "byday": day, "opens_at": start, "closes_at": end}],
        "service_at_locations": [{"id": f"6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b5{number:03d}",
                                  "location": _HALL}],
        "cost_options": [{"id": f"6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b6{number:03d}", "amount": 0}],
        "attributes": [{"id": f"6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b7{number:03d}", "taxonomy_term": {
            "id": term[0], "name": term[1], "taxonomy": "Merton Connected categories"}}],
    }  # fmt: skip
    record.update(extra)
    return record


WALKING = ("6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b8001", "Walking")
COFFEE = ("6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b8002", "Coffee mornings")
# No category of ours is called this: it waits in the crosswalk for a moderator.
SOCIAL_PRESCRIBING = ("6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b8003", "Social prescribing offers")


def _feed(local_twin: Activity | None) -> list[dict]:
    feed = [
        _service(1, "Wandle riverside walk", "A gentle walk along the Wandle. Meet at the centre.",
                 "WE", "10:00", "11:30", WALKING),
        _service(2, "Colliers Wood coffee morning", "Tea, coffee and a chat. Everyone welcome.",
                 "FR", "10:00", "12:00", COFFEE),
        _service(3, "Time to talk", "A friendly group for people who feel low or lonely, "
                 "for anyone a GP or link worker has suggested it to.", "TU", "14:00", "15:30",
                 SOCIAL_PRESCRIBING, minimum_age=18),
        # A record the feed sends without a name: reported and skipped.
        {"id": "6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b3999", "status": "active",
         "description": "A service the neighbouring feed sends without its name."},
    ]  # fmt: skip
    if local_twin is not None and local_twin.venue is not None:
        # Listed here by its own group as well: the two wait as a likely duplicate.
        twin = _service(4, local_twin.title, local_twin.summary, "SA", "10:00", "11:00", WALKING)
        place = copy.deepcopy(_HALL)
        place.update(
            id="6f1d2c84-5b3e-4a8f-9d21-0c7e5a4b2101",
            name=local_twin.venue.name,
            latitude=local_twin.venue.latitude,
            longitude=local_twin.venue.longitude,
            addresses=[],
            accessibility=[],
        )
        twin["service_at_locations"][0]["location"] = place
        feed.append(twin)
    return feed


def _harvest(source: FeedSource, feed: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "merton.ndjson"
        path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in feed))
        run = services.harvest_run_create(source=source, origin="merton-connected.ndjson")
        run = services.harvest_file(run=run, path=path)
    services.harvest_duplicates_find(run=run)


def ensure_demo_harvest() -> None:
    """Harvest the demo feed (once): then take one record over and harvest a changed feed, so
    that its change waits as a conflict."""
    if FeedSource.objects.filter(name=DEMO_SOURCE).exists():
        return
    local_twin = (
        Activity.objects.filter(venue__latitude__isnull=False, harvested_record__isnull=True)
        .select_related("venue")
        .order_by("path")
        .first()
    )
    moderator = get_user_model().objects.filter(username="moderator").first()
    with transaction.atomic():
        source = FeedSource.objects.create(name=DEMO_SOURCE, website="https://www.merton.gov.uk/")
        feed = _feed(local_twin)
        _harvest(source, feed)
        coffee = HarvestedRecord.objects.get(source=source, external_id=feed[1]["id"])
        coffee.taken_over_at, coffee.taken_over_by = timezone.now(), moderator
        coffee.save(update_fields=["taken_over_at", "taken_over_by"])
        feed[1] = {**feed[1], "description": "Tea, coffee and a chat, now on Fridays and "
                   "Saturdays. Everyone welcome."}  # fmt: skip
        _harvest(source, feed)
