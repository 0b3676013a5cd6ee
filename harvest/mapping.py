"""An Open Referral (HSDS 3.0 / ORUK 3.0) service, read into what the directory holds.

Pure: `read_service(data)` checks one record as the schemas type it and returns a
`ServiceData`, or raises `BadRecord` naming the field and the reason. Nothing here touches the
database, so the whole of a record is known to be good before any of it is written. What the
directory cannot hold exactly (a second location, a pattern of sessions it cannot express) is
kept in words and reported as a note, not dropped in silence.

The README's "Harvesting other feeds" says field by field where each value goes.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

import orjson
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from assets_directory import scheduling
from assets_directory.audience import Audience, as_text, describe
from assets_directory.geocoding import InvalidPostcode, normalise_postcode
from assets_directory.models.venue import PRIVATE_ADDRESS
from common.vocabulary import COST_LABELS, WEEKDAY_SLUGS

# Longest values the directory's fields take.
TITLE_MAX = 255
SUMMARY_MAX = 300
SHORT_MAX = 255
ID_MAX = 255

STATUSES = {
    "active": "running",
    "temporarily closed": "temporarily_closed",
    "inactive": "ended",
    "defunct": "ended",
}
# Kinds of cost, by the words feeds use for them (our own feed's labels among them).
COST_KINDS = {label.casefold(): kind for kind, label in COST_LABELS.items()} | {
    "free": "free",
    "paid": "paid",
    "pay what you can": "pay_what_you_can",
    "donation": "pay_what_you_can",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class BadRecord(ValueError):
    """A record that cannot be imported: `field` is its path in the record, `reason` plain
    English."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason


@dataclass
class OrganisationData:
    source_id: str
    name: str
    description: str = ""
    email: str = ""
    website: str = ""
    phone: str = ""
    charity_number: str = ""
    company_number: str = ""
    # The languages its services are given in (the directory holds them for the organisation).
    languages: str = ""
    content_hash: str = ""


@dataclass
class VenueData:
    source_id: str
    name: str
    address_1: str = ""
    address_2: str = ""
    town: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    # Each accessibility item as (description, details): `venue_access` reads them.
    accessibility: list[tuple[str, str]] = field(default_factory=list)
    is_private: bool = False
    content_hash: str = ""


@dataclass
class TermData:
    """A taxonomy term a service is tagged with, as the feed names it."""

    key: str
    taxonomy: str = ""
    code: str = ""
    name: str = ""


@dataclass
class ScheduleData:
    frequency: str
    weekdays: str
    nth: int | None
    start_time: datetime.time
    end_time: datetime.time | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    on_date: datetime.date | None
    term_time_only: bool
    # The schedule's id in the feed: the session keeps it as its uuid where it is a free UUID.
    source_id: str = ""

    def session_fields(self) -> dict:
        """The fields of an ActivitySchedule."""
        return {k: v for k, v in vars(self).items() if k != "source_id"}


@dataclass
class ServiceData:
    source_id: str
    name: str
    fields: dict
    content_hash: str
    organisation_id: str | None = None
    organisation: OrganisationData | None = None
    venue: VenueData | None = None
    # The id of the service at a location whose place is the venue: the activity keeps it as
    # its service_at_location id (Activity.location_uuid) where it is a free UUID.
    location_source_id: str = ""
    schedules: list[ScheduleData] = field(default_factory=list)
    terms: list[TermData] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    last_modified: datetime.datetime | None = None


def content_hash(data: object) -> str:
    """The same for the same content whatever order its keys come in."""
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()


def source_uuid(source_id: str) -> uuid.UUID | None:
    """The source's id as a UUID when it is one: records keep it, so that a feed republishing
    them gives the same ids (and a round trip through another directory changes none)."""
    try:
        return uuid.UUID(source_id)
    except (ValueError, AttributeError, TypeError):
        return None


# Reading typed values -----------------------------------------------------------------------


def _kind(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "text"


def _text(data: dict, name: str, path: str = "", *, required: bool = False) -> str:
    value = data.get(name)
    where = f"{path}{name}"
    if value is None or value == "":
        if required:
            raise BadRecord(where, "is required and missing.")
        return ""
    if not isinstance(value, str):
        raise BadRecord(where, f"should be text, but is {_kind(value)}.")
    return value.strip()


def _id(data: dict, name: str, path: str = "", *, required: bool = True) -> str:
    value = data.get(name)
    where = f"{path}{name}"
    if value is None or value == "":
        if required:
            raise BadRecord(where, "is required and missing.")
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise BadRecord(where, f"should be an identifier (text), but is {_kind(value)}.")
    value = value.strip()
    if not value or len(value) > ID_MAX:
        raise BadRecord(where, f"should be 1 to {ID_MAX} characters long.")
    return value


def _email(data: dict, name: str, path: str = "") -> str:
    value = _text(data, name, path)
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise BadRecord(f"{path}{name}", f"{value[:80]!r} is not an e-mail address.") from None
    return value


def _url(data: dict, name: str, path: str = "") -> str:
    value = _text(data, name, path)
    if value:
        # As the schema's "uri" format: a scheme and a host, whatever the host's name looks
        # like (a feed on an intranet or on localhost is a feed too).
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in value:
            raise BadRecord(
                f"{path}{name}", f"{value[:80]!r} is not a web address (http or https)."
            )
    return value


def _int(data: dict, name: str, path: str = "", *, low: int, high: int) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise BadRecord(f"{path}{name}", f"should be a whole number, but is {_kind(value)}.")
    if not low <= value <= high:
        raise BadRecord(f"{path}{name}", f"should be between {low} and {high}, not {value}.")
    return int(value)


def _number(data: dict, name: str, path: str, *, low: float, high: float) -> float | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise BadRecord(f"{path}{name}", "should be a number.") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRecord(f"{path}{name}", f"should be a number, but is {_kind(value)}.")
    if not low <= value <= high:
        raise BadRecord(f"{path}{name}", f"should be between {low} and {high}, not {value}.")
    return float(value)


def _date(data: dict, name: str, path: str = "") -> datetime.date | None:
    value = _text(data, name, path)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise BadRecord(f"{path}{name}", f"{value[:40]!r} is not a date (YYYY-MM-DD).") from None


def _datetime(data: dict, name: str, path: str = "") -> datetime.datetime | None:
    value = _text(data, name, path)
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadRecord(f"{path}{name}", f"{value[:40]!r} is not a date and time.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _list(data: dict, name: str, path: str = "") -> list:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadRecord(f"{path}{name}", f"should be a list, but is {_kind(value)}.")
    return value


def _object(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise BadRecord(where, f"should be an object, but is {_kind(value)}.")
    return value


def _clip(value: str, limit: int) -> str:
    if len(value) <= limit:
        return value
    cut = value[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def summary_of(description: str, name: str) -> str:
    """The first sentences of a description that fit the summary, or the name."""
    text = " ".join(description.split())
    if not text:
        return _clip(name, SUMMARY_MAX)
    if len(text) <= SUMMARY_MAX:
        return text
    summary = ""
    for sentence in _SENTENCE_END.split(text):
        if len(summary) + len(sentence) + 1 > SUMMARY_MAX:
            break
        summary = f"{summary} {sentence}".strip()
    return summary or _clip(text, SUMMARY_MAX)


def split_description(description: str, name: str) -> tuple[str, str]:
    """(summary, the rest): a short first paragraph is the summary, as our own feed writes
    them; else the first sentences that fit, with the whole description kept."""
    parts = re.split(r"\n\s*\n", description.strip(), maxsplit=1)
    first = " ".join(parts[0].split())
    if first and len(first) <= SUMMARY_MAX:
        return first, parts[1] if len(parts) > 1 else ""
    return summary_of(description, name), description


def paragraphs(text: str) -> str:
    """Plain text as the rich text fields hold it: escaped, one paragraph per blank line."""
    parts = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "")]
    return "".join(f"<p>{html.escape(p)}</p>" for p in parts if p)


# Records ------------------------------------------------------------------------------------


def read_organisation(data: dict, path: str = "organization.") -> OrganisationData:
    data = _object(data, path.rstrip("."))
    organisation = OrganisationData(
        source_id=_id(data, "id", path),
        name=_clip(_text(data, "name", path, required=True), TITLE_MAX),
        description=_text(data, "description", path),
        email=_email(data, "email", path),
        website=_url(data, "website", path),
        content_hash=content_hash(data),
    )
    for index, phone in enumerate(_list(data, "phones", path)):
        number = _text(_object(phone, f"{path}phones[{index}]"), "number", f"{path}phones.")
        if number:
            organisation.phone = number[:50]
            break
    for index, identifier in enumerate(_list(data, "organization_identifiers", path)):
        where = f"{path}organization_identifiers[{index}]."
        identifier = _object(identifier, where.rstrip("."))
        scheme = _text(identifier, "identifier_scheme", where).upper()
        number = _text(identifier, "identifier", where)
        if scheme == "GB-CHC" and len(number) <= 20:
            organisation.charity_number = number
        elif scheme == "GB-COH" and len(number) <= 10:
            organisation.company_number = number
    return organisation


def read_location(data: dict, path: str, notes: list[tuple[str, str]]) -> VenueData:
    """A location as a venue. What the schema allows but the directory cannot use (a point
    off the globe, a postcode from abroad) is noted and left out, not held against the
    record."""
    data = _object(data, path.rstrip("."))
    venue = VenueData(
        source_id=_id(data, "id", path),
        name=_clip(_text(data, "name", path), SHORT_MAX),
        content_hash=content_hash(data),
    )
    try:
        venue.latitude = _number(data, "latitude", path, low=-90, high=90)
        venue.longitude = _number(data, "longitude", path, low=-180, high=180)
    except BadRecord as exc:
        notes.append((exc.field, f"{exc.reason} The place is found from its postcode instead."))
        venue.latitude = venue.longitude = None
    if (venue.latitude is None) != (venue.longitude is None):
        notes.append((f"{path}latitude", "a point needs both latitude and longitude."))
        venue.latitude = venue.longitude = None
    addresses = [
        _object(a, f"{path}addresses[{i}]") for i, a in enumerate(_list(data, "addresses", path))
    ]
    # The place people go to, when the feed gives a postal address as well.
    addresses.sort(key=lambda a: a.get("address_type") != "physical")
    if addresses:
        address = addresses[0]
        where = f"{path}addresses."
        venue.address_1 = _clip(_text(address, "address_1", where), SHORT_MAX)
        venue.address_2 = _clip(_text(address, "address_2", where), SHORT_MAX)
        venue.town = _clip(_text(address, "city", where), 100)
        postcode = _text(address, "postal_code", where)
        if postcode:
            try:
                outcode, full = normalise_postcode(postcode)
            except InvalidPostcode:
                notes.append(
                    (f"{where}postal_code", f"{postcode[:20]!r} is not a UK postcode; it is kept "
                     "in the address, and the place is not on the map unless the feed gives "
                     "its point.")
                )  # fmt: skip
                venue.address_2 = _clip(" ".join(filter(None, (venue.address_2, postcode))),
                                        SHORT_MAX)  # fmt: skip
            else:
                venue.postcode = full or outcode
    for index, item in enumerate(_list(data, "accessibility", path)):
        item = _object(item, f"{path}accessibility[{index}]")
        pair = (_text(item, "description", f"{path}accessibility."),
                _text(item, "details", f"{path}accessibility."))  # fmt: skip
        if any(pair):
            venue.accessibility.append(pair)
    # A feed that keeps an address private (ours, for a refuge or a home) says so in words and
    # gives no point: the venue stays private here too.
    if venue.address_1.casefold() == PRIVATE_ADDRESS.casefold() and venue.latitude is None:
        venue.is_private = True
        venue.name = venue.name or PRIVATE_ADDRESS
    if not venue.name:
        venue.name = venue.address_1 or venue.postcode or "Venue"
    return venue


def read_schedule(data: dict, where: str) -> ScheduleData:
    data = _object(data, where)
    try:
        rule = scheduling.from_hsds(data)
    except ValueError as exc:
        raise BadRecord(where, str(exc)) from None
    return ScheduleData(
        frequency=rule.frequency,
        weekdays=",".join(WEEKDAY_SLUGS[d] for d in rule.weekdays),
        nth=rule.nth,
        start_time=rule.start_time,
        end_time=rule.end_time,
        starts_on=rule.starts_on,
        ends_on=rule.ends_on,
        on_date=rule.on_date,
        term_time_only=rule.term_time_only,
        # Read as it is, never refused: a session whose id is not a UUID gets one of its own.
        source_id=data["id"].strip() if isinstance(data.get("id"), str) else "",
    )


# What our own feed calls a venue's accessibility notes (openreferral.serialisers.location).
ACCESS_NOTES = "Notes"


def venue_access(
    accessibility: list[tuple[str, str]], features: dict[str, tuple[int, str]]
) -> tuple[list[int], str]:
    """A venue's accessibility features (their keys) and notes, from a location's items and
    the directory's features by name (casefolded: key and description). An item named as a
    feature is that feature (its details kept as notes when they are not the feature's own
    words); our own feed's "Notes" are the notes; anything else is kept in words."""
    chosen: list[int] = []
    notes: list[str] = []
    for description, details in accessibility:
        feature = features.get(description.casefold())
        if feature is not None:
            if feature[0] not in chosen:
                chosen.append(feature[0])
            if details and details != feature[1]:
                notes.append(f"{description} {details}")
        elif description == ACCESS_NOTES and details:
            notes.append(details)
        else:
            notes.append(" ".join(t for t in (description, details) if t))
    return chosen, "\n".join(notes)


def _term(attribute: dict, where: str) -> TermData | None:
    term = attribute.get("taxonomy_term")
    term_id = _id(attribute, "taxonomy_term_id", where, required=False)
    if term is not None:
        term = _object(term, f"{where}taxonomy_term")
        path = f"{where}taxonomy_term."
        term_id = _id(term, "id", path, required=False) or term_id
        taxonomy = _text(term, "taxonomy", path) or _text(term, "taxonomy_id", path)
        code = _text(term, "code", path) or _text(term, "term", path)
        name = _text(term, "name", path)
        key = term_id or f"{taxonomy}:{code or name}"
        return TermData(key=key, taxonomy=taxonomy, code=code, name=name or code or key)
    if term_id:
        return TermData(key=term_id, name=term_id)
    return None


def _languages(data: dict) -> list[str]:
    """The names of the languages a service is given in, each once, in the feed's order."""
    names: list[str] = []
    for index, language in enumerate(_list(data, "languages")):
        language = _object(language, f"languages[{index}]")
        name = _text(language, "name", "languages.") or _text(language, "code", "languages.")
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def _without_age_sentences(eligibility: str, age_min: int | None, age_max: int | None) -> str:
    """Whom a service is for in words, less the last sentences when they are those the
    directory writes from the ages ("For people aged 18 and over", else "Open to everyone"):
    it writes them again after the activity's own words, which would otherwise say them twice
    (our own feed, harvested, would grow a sentence each round)."""
    written = as_text(describe(Audience(age_min=age_min, age_max=age_max)))
    if eligibility == written:
        return ""
    if eligibility.endswith(f" {written}"):
        return eligibility[: -len(written)].rstrip()
    return eligibility


def read_service(data: dict) -> ServiceData:
    """One HSDS service record (as /services/{id} gives it), checked and read."""
    data = _object(data, "service")
    source_id = _id(data, "id")
    name = _text(data, "name", required=True)
    status_text = _text(data, "status", required=True).lower()
    if status_text not in STATUSES:
        raise BadRecord("status", f"{status_text[:40]!r} is not one of: {', '.join(STATUSES)}.")
    description = _text(data, "description")
    url = _url(data, "url")
    email = _email(data, "email")
    age_min = _int(data, "minimum_age", low=0, high=120)
    age_max = _int(data, "maximum_age", low=0, high=120)
    if age_min is not None and age_max is not None and age_max < age_min:
        raise BadRecord("maximum_age", "is below minimum_age.")
    notes: list[tuple[str, str]] = []

    def note(where: str, reason: str) -> None:
        notes.append((where, reason))

    name_clipped = _clip(name, TITLE_MAX)
    if name_clipped != name:
        note("name", f"is longer than {TITLE_MAX} characters and was shortened.")
    how_to_join = [_text(data, "application_process")]
    eligibility = _without_age_sentences(_text(data, "eligibility_description"), age_min, age_max)
    who_for = _clip(eligibility, SHORT_MAX)
    if who_for != eligibility:
        how_to_join.append(f"Who it is for: {eligibility}")

    # Cost: the first cost option says what it costs (our own feed names the kind of cost in
    # `option`); else the fees in words.
    cost, cost_amount, cost_details = "free", None, ""
    fees = _text(data, "fees_description") or _text(data, "fees")
    options = _list(data, "cost_options")
    for index, option in enumerate(options):
        option = _object(option, f"cost_options[{index}]")
        where = f"cost_options[{index}]."
        amount = option.get("amount")
        kind = COST_KINDS.get(_text(option, "option", where).casefold())
        cost_details = _text(option, "amount_description", where)
        if amount is not None:
            try:
                value = Decimal(str(amount))
            except InvalidOperation:
                raise BadRecord(f"{where}amount", "should be a number.") from None
            if isinstance(amount, bool) or not value.is_finite() or not 0 <= value < 100_000:
                raise BadRecord(f"{where}amount", "should be a price in pounds.")
            if value > 0:
                cost_amount = value.quantize(Decimal("0.01"))
        cost = kind or ("paid" if cost_amount else "free")
        break
    if not options and fees:
        cost_details = fees
        if not re.search(r"\bfree\b", fees, re.I):
            cost = "paid"  # a fee in words, without an amount

    contact_name = contact_phone = ""
    contact_email = email
    for index, contact in enumerate(_list(data, "contacts")):
        contact = _object(contact, f"contacts[{index}]")
        contact_name = _clip(_text(contact, "name", "contacts."), SHORT_MAX)
        contact_email = contact_email or _email(contact, "email", "contacts.")
        for phone in _list(contact, "phones", "contacts."):
            contact_phone = _text(_object(phone, "contacts.phones"), "number", "contacts.phones.")
            if contact_phone:
                break
        break
    if not contact_phone:
        for index, phone in enumerate(_list(data, "phones")):
            contact_phone = _text(_object(phone, f"phones[{index}]"), "number", "phones.")
            if contact_phone:
                break

    schedules = []
    for index, schedule in enumerate(_list(data, "schedules")):
        where = f"schedules[{index}]"
        try:
            schedules.append(read_schedule(schedule, where))
        except BadRecord as exc:
            described = _text(_object(schedule, where), "description", f"{where}.")
            if described:
                how_to_join.append(f"When: {described}")
            note(where, f"{exc.reason} Its description is kept in words instead.")

    venue = None
    location_source_id = ""
    sals = _list(data, "service_at_locations")
    for index, sal in enumerate(sals):
        where = f"service_at_locations[{index}]"
        sal = _object(sal, where)
        location = sal.get("location")
        if location is None:
            note(where, "gives no location, only its id: it is left out.")
            continue
        if venue is None:
            venue = read_location(location, f"{where}.location.", notes)
            # Read as it is, never refused: an id that is not a UUID gives way to one of ours.
            location_source_id = sal["id"].strip() if isinstance(sal.get("id"), str) else ""
            for s_index, schedule in enumerate(_list(sal, "schedules", f"{where}.")):
                s_where = f"{where}.schedules[{s_index}]"
                try:
                    schedules.append(read_schedule(schedule, s_where))
                except BadRecord as exc:
                    note(s_where, exc.reason)
        else:
            other = read_location(location, f"{where}.location.", notes)
            how_to_join.append(f"Also at {other.name}, {other.postcode}".rstrip(", "))
            note(where, "is a second place: the directory keeps one venue per activity, so "
                 "it is named in the activity's text.")  # fmt: skip

    # The directory's area is a list of postcode districts; an area the feed describes only
    # in words is kept in words. How people take part is read from the words feeds use for it
    # (our own feed names it in each schedule's attending_type and each area's name).
    areas, area_words, how = [], [], []
    for index, area in enumerate(_list(data, "service_areas")):
        area = _object(area, f"service_areas[{index}]")
        where = "service_areas."
        name_text = _text(area, "name", where)
        how.append(name_text)
        if area.get("extent_type") in ("postcode districts", "postcodes"):
            areas.append(_text(area, "extent", where))
        elif not name_text.lower().endswith(": anywhere"):
            area_words.append(name_text or _text(area, "description", where))
    how.extend(
        str(s.get("attending_type", "")) for s in _list(data, "schedules") if isinstance(s, dict)
    )
    attending = " ".join(how).lower()
    if venue is not None:
        delivery = "in_person"
    elif "online" in attending or "video" in attending:
        delivery = "online"
    elif "phone" in attending:
        delivery = "phone"
    else:
        delivery = "area_wide"
    how_to_join.extend(f"Where: {words}" for words in area_words if words)
    area_served = _clip(", ".join(a for a in areas if a), SHORT_MAX)

    terms = []
    for index, attribute in enumerate(_list(data, "attributes")):
        term = _term(_object(attribute, f"attributes[{index}]"), f"attributes[{index}].")
        if term is not None and term.key not in {t.key for t in terms}:
            terms.append(term)

    organisation_id = _id(data, "organization_id", required=False)
    organisation = None
    if data.get("organization") is not None:
        organisation = read_organisation(data["organization"])
        organisation_id = organisation.source_id
        spoken = _languages(data)
        if spoken:
            organisation.languages = _clip(", ".join(spoken), SHORT_MAX)
            # A change of languages is a change of the organisation; without any, its hash is
            # its record's, as before languages were read.
            organisation.content_hash = content_hash([data["organization"], spoken])
    if url:
        how_to_join.append(f"More about it: {url}")

    summary, rest = split_description(description, name_clipped)
    fields = {
        "title": name_clipped,
        "summary": summary,
        "description": paragraphs(rest),
        "status": STATUSES[status_text],
        "age_min": age_min,
        "age_max": age_max,
        "who_for": who_for,
        "cost": cost,
        "cost_amount": cost_amount,
        "cost_details": _clip(cost_details, SHORT_MAX),
        "how_to_join": "\n\n".join(t for t in how_to_join if t),
        "delivery": delivery,
        "area_served": area_served if delivery != "in_person" else "",
        "contact_name": contact_name,
        "contact_email": contact_email,
        "contact_phone": contact_phone[:50],
    }
    # When the source last checked it; else when it last changed; else (as for a local page
    # when it is published) today, which the model's default gives.
    last_modified = _datetime(data, "last_modified")
    assured = _date(data, "assured_date") or (last_modified.date() if last_modified else None)
    if assured is not None:
        fields["last_reviewed"] = assured
    return ServiceData(
        source_id=source_id,
        name=name_clipped,
        fields=fields,
        content_hash=content_hash(data),
        organisation_id=organisation_id or None,
        organisation=organisation,
        venue=venue,
        location_source_id=location_source_id,
        schedules=schedules,
        terms=terms,
        notes=notes,
        last_modified=last_modified,
    )
