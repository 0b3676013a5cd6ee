"""Directory records as Open Referral UK 3.0 objects (the README's "Open Referral feed" says
field by field where each value comes from).

Pure functions of loaded records (see `selectors.load_activities`), plus a `Context` that
makes absolute URLs. A value the directory does not hold is left out, never sent as null:
the schemas type every field, and null is not a string.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.encoding import iri_to_uri
from django.utils.html import strip_tags
from wagtail.models import Site

from assets_directory import scheduling
from assets_directory.audience import to_hsds as audience_to_hsds
from common.vocabulary import COST_LABELS, DELIVERY_LABELS

from . import ids
from .selectors import TAXONOMY_NAME

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
OPENAPI_URL = "https://openreferraluk.org/specifications/3.0/openapi.json"
TAXONOMY_DESCRIPTION = (
    "The kinds of activity the directory lists, in two levels: each top-level category and "
    "the narrower ones under it."
)
TAXONOMY_VERSION = "1"
STATUSES = {
    "running": "active",
    "temporarily_closed": "temporarily closed",
    "ended": "defunct",
}
# ISO 639-1 codes for the languages groups most often name; others are sent by name only.
LANGUAGE_CODES = {
    "albanian": "sq", "arabic": "ar", "bengali": "bn", "bulgarian": "bg", "cantonese": "zh",
    "chinese": "zh", "english": "en", "farsi": "fa", "french": "fr", "german": "de",
    "greek": "el", "gujarati": "gu", "hindi": "hi", "italian": "it", "kurdish": "ku",
    "lithuanian": "lt", "mandarin": "zh", "pashto": "ps", "persian": "fa", "polish": "pl",
    "portuguese": "pt", "punjabi": "pa", "romanian": "ro", "russian": "ru", "somali": "so",
    "spanish": "es", "tamil": "ta", "tigrinya": "ti", "turkish": "tr", "twi": "tw",
    "ukrainian": "uk", "urdu": "ur", "welsh": "cy", "yoruba": "yo",
}  # fmt: skip
_SPACES = re.compile(r"[ \t]+")
_LINES = re.compile(r"\n\s*\n+")


@dataclass
class Context:
    """What serialising needs beyond the records: the request, for absolute URLs."""

    request: object

    def absolute(self, path: str | None) -> str | None:
        if not path:
            return None
        return iri_to_uri(self.request.build_absolute_uri(path))

    def page_url(self, page) -> str | None:
        """The page's address on the request's site, from its url_path (as Wagtail's
        get_url_parts works it out), or None when the page is not under that site's root."""
        root = self._root_path()
        if root is None or not page.url_path.startswith(root):
            return None
        return self.absolute(page.url_path[len(root) - 1 :])

    def _root_path(self) -> str | None:
        if not hasattr(self, "_root"):
            # Wagtail keeps the sites' root paths in the cache: with one site (the usual
            # case) that is all there is to know, without finding the request's site.
            roots = Site.get_site_root_paths()
            if len(roots) == 1:
                self._root = roots[0].root_path
            else:
                site = Site.find_for_request(self.request)
                self._root = site.root_page.url_path if site is not None else None
        return self._root


def compact(data: dict) -> dict:
    """`data` without the values the directory does not hold (None)."""
    return {key: value for key, value in data.items() if value is not None}


def plain(rich: str) -> str:
    """Rich text as plain text: paragraphs kept apart by a blank line, no markup."""
    text = re.sub(r"</(p|li|h\d)>|<br\s*/?>", "\n\n", rich or "")
    text = html.unescape(strip_tags(text))
    text = _SPACES.sub(" ", text)
    return _LINES.sub("\n\n", text).strip()


def _url(value: str) -> str | None:
    return iri_to_uri(value) if value else None


# Organisations ------------------------------------------------------------------------------


def organization_identifiers(organisation) -> list[dict]:
    """Charity and company numbers, with their org-id.guide schemes."""
    org_id = str(organisation.uuid)
    found = []
    if organisation.charity_number.strip():
        found.append(("GB-CHC", "Charity number", organisation.charity_number.strip()))
    company = organisation.company_number.strip()
    if company:
        found.append(("GB-COH", "Company number", company))
    return [
        {
            "id": ids.derived("organization_identifier", org_id, scheme),
            "organization_id": org_id,
            "identifier_scheme": scheme,
            "identifier_type": kind,
            "identifier": number,
        }
        for scheme, kind, number in found
    ]


def organization_brief(organisation, ctx: Context) -> dict:
    """An organization's one-to-one fields (its list's items, and a service's organization)."""
    return compact(
        {
            "id": str(organisation.uuid),
            "name": organisation.title,
            "description": plain(organisation.description),
            "email": organisation.email or None,
            "website": _url(organisation.website),
            "uri": ctx.page_url(organisation),
        }
    )


def organization_full(organisation, ctx: Context, services, *, full_service: bool = False) -> dict:
    """An organization with its identifiers and its services: by id and name (each is whole
    at /services/{id}), or, with `full_service`, each service whole (loaded with
    `selectors.load_activities`)."""
    data = organization_brief(organisation, ctx)
    data["organization_identifiers"] = organization_identifiers(organisation)
    if full_service:
        data["services"] = [service_full(s, ctx) for s in services]
        return data
    data["services"] = [
        {
            "id": str(s.uuid),
            "organization_id": str(organisation.uuid),
            "name": s.title,
            "status": STATUSES.get(s.status, "active"),
        }
        for s in services
    ]
    return data


# Taxonomy -----------------------------------------------------------------------------------


def taxonomy(ctx: Context, terms=None) -> dict:
    data = {
        "id": ids.taxonomy_id(),
        "name": TAXONOMY_NAME,
        "description": TAXONOMY_DESCRIPTION,
        "version": TAXONOMY_VERSION,
    }
    if terms is not None:
        data["taxonomy_terms"] = [taxonomy_term(c) for c in terms]
    return data


def taxonomy_term(category) -> dict:
    return compact(
        {
            "id": ids.term_id(category.pk),
            "code": category.slug,
            "name": category.name,
            "description": category.description or category.name,
            "parent_id": ids.term_id(category.parent_id) if category.parent_id else None,
            "taxonomy": TAXONOMY_NAME,
            "taxonomy_id": ids.taxonomy_id(),
            "term": category.slug,
        }
    )


# Locations ----------------------------------------------------------------------------------


def location(venue) -> dict:
    location_id = str(venue.uuid)
    # What the public may see of the venue (Venue.public_location): a private one (a home, a
    # refuge) gives only its outward code, no point, and says the address is given on request.
    where = venue.public_location()
    address = compact(
        {
            "id": ids.derived("address", location_id),
            "location_id": location_id,
            # Required, and a string: a private venue's is "Private address".
            "address_1": where.address_1,
            "address_2": where.address_2 or None,
            "city": where.town,
            # England has no states or provinces; the field is required, so it is empty.
            "state_province": "",
            "postal_code": where.postcode,
            "country": "GB",
            "address_type": "physical",
        }
    )
    accessibility = [
        compact(
            {
                "id": ids.derived("accessibility", location_id, feature.slug),
                "location_id": location_id,
                "description": feature.name,
                "details": feature.description or None,
            }
        )
        for feature in venue.accessibility.all()
    ]
    if where.accessibility_notes:
        accessibility.append(
            {
                "id": ids.derived("accessibility", location_id, "notes"),
                "location_id": location_id,
                "description": "Notes",
                "details": where.accessibility_notes,
            }
        )
    return compact(
        {
            "id": location_id,
            "location_type": "physical",
            "name": where.name,
            "description": where.note or None,
            # Not even the outward code's centre: a harvester would take it for the place.
            "latitude": None if where.private else where.latitude,
            "longitude": None if where.private else where.longitude,
            "addresses": [address],
            "accessibility": accessibility,
        }
    )


# Services -----------------------------------------------------------------------------------


def _status(activity) -> str:
    return STATUSES.get(activity.status, "active")


def _fees(activity) -> str:
    label = COST_LABELS.get(activity.cost, activity.cost)
    return f"{label}: {activity.cost_details}" if activity.cost_details else label


def service_brief(activity, ctx: Context) -> dict:
    """A service's one-to-one fields: the items of /services and a service at a location's
    service."""
    organisation = activity.feed_organisation
    description = activity.summary
    if activity.description:
        description = f"{description}\n\n{plain(activity.description)}".strip()
    data = {
        "id": str(activity.uuid),
        "organization_id": str(organisation.uuid) if organisation else None,
        "name": activity.title,
        "description": description,
        "url": ctx.page_url(activity),
        "email": activity.contact_email or None,
        "status": _status(activity),
        "fees": _fees(activity),
        "assured_date": activity.last_reviewed.isoformat() if activity.last_reviewed else None,
        "alert": "Temporarily closed" if activity.status == "temporarily_closed" else None,
        "last_modified": (
            activity.last_published_at.isoformat() if activity.last_published_at else None
        ),
    }
    if activity.age_min is not None:
        data["minimum_age"] = activity.age_min
    if activity.age_max is not None and activity.age_max < 120:
        data["maximum_age"] = activity.age_max
    return compact(data)


def service_minimal(row: tuple) -> dict:
    """A service as minimal=true lists it, from `selectors.service_stamps`' row: its id and
    when it last changed (`modified_date`, the OpenAPI's word, and `last_modified`, the
    schema's), with the name and status that the list's schema requires of every item."""
    _pk, uuid, title, status, modified = row
    stamp = modified.isoformat() if modified else None
    return compact(
        {
            "id": str(uuid),
            "name": title,
            "status": STATUSES.get(status, "active"),
            "modified_date": stamp,
            "last_modified": stamp,
        }
    )


def schedules(activity, *, service_at_location_id: str | None = None) -> list[dict]:
    service_id = str(activity.uuid)
    found = []
    for schedule in activity.schedules.all():
        try:
            rule = schedule.as_recurrence()
        except ValueError:
            continue  # a pattern the editor left incomplete: its page does not show it either
        # The description says "term time only" when it is (scheduling.describe), as the
        # notes do: consumers show the description.
        data = scheduling.to_hsds(rule)
        data.update(
            id=str(schedule.uuid),
            service_id=service_id,
            attending_type=DELIVERY_LABELS.get(activity.delivery, activity.delivery),
        )
        if service_at_location_id:
            data["service_at_location_id"] = service_at_location_id
        found.append(data)
    return found


def service_areas(activity) -> list[dict]:
    """Where an online, phone or area-wide activity reaches people."""
    if activity.delivery == "in_person":
        return []
    area = activity.area_served.strip()
    how = DELIVERY_LABELS.get(activity.delivery, activity.delivery)
    return [
        compact(
            {
                "id": ids.derived("service_area", activity.uuid),
                "service_id": str(activity.uuid),
                "name": f"{how}: {area}" if area else f"{how}: anywhere",
                "service_area": area or "Anyone can join, wherever they live.",
                "extent": area or None,
                "extent_type": "postcode districts" if area else None,
            }
        )
    ]


def languages(activity) -> list[dict]:
    organisation = activity.feed_organisation
    names = organisation.languages if organisation else ""
    found = []
    for name in (part.strip() for part in re.split(r"[,;/]| and ", names)):
        if not name:
            continue
        found.append(
            compact(
                {
                    "id": ids.derived("language", activity.uuid, name.casefold()),
                    "service_id": str(activity.uuid),
                    "name": name,
                    "code": LANGUAGE_CODES.get(name.casefold()),
                }
            )
        )
    return found


def cost_options(activity) -> list[dict]:
    amount = activity.cost_amount
    if activity.cost == "free":
        amount = Decimal(0)
    return [
        compact(
            {
                "id": ids.derived("cost_option", activity.uuid),
                "service_id": str(activity.uuid),
                "option": COST_LABELS.get(activity.cost, activity.cost),
                "amount": float(amount) if amount is not None else None,
                "currency": "GBP" if amount is not None else None,
                "amount_description": activity.cost_details or None,
            }
        )
    ]


def contacts(activity) -> list[dict]:
    if not (activity.contact_name or activity.contact_email or activity.contact_phone):
        return []
    contact_id = ids.derived("contact", activity.uuid)
    phones = []
    if activity.contact_phone:
        phones.append(
            {
                "id": ids.derived("phone", activity.uuid),
                "contact_id": contact_id,
                "number": activity.contact_phone,
            }
        )
    return [
        compact(
            {
                "id": contact_id,
                "service_id": str(activity.uuid),
                "name": activity.contact_name or None,
                "email": activity.contact_email or None,
                "phones": phones,
            }
        )
    ]


def attributes(activity) -> list[dict]:
    """The activity's categories, each as a link to its taxonomy term."""
    service_id = str(activity.uuid)
    return [
        {
            "id": ids.derived("attribute", service_id, category.pk),
            "link_id": service_id,
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": ids.term_id(category.pk),
            "taxonomy_term": taxonomy_term(category),
        }
        for category in activity.categories.all()
    ]


def service_full(activity, ctx: Context) -> dict:
    """A service with everything that hangs from it (/services/{id} and the ndjson stream)."""
    data = service_brief(activity, ctx)
    audience = audience_to_hsds(activity.audience_summary())
    data["eligibility_description"] = audience["eligibility_description"]
    organisation = activity.feed_organisation
    if organisation is not None:
        data["organization"] = {
            **organization_brief(organisation, ctx),
            "organization_identifiers": organization_identifiers(organisation),
        }
    sal_id = _sal_id(activity)
    data["schedules"] = schedules(activity)
    data["service_areas"] = service_areas(activity)
    data["service_at_locations"] = (
        [
            {
                "id": sal_id,
                "service_id": str(activity.uuid),
                "location_id": str(activity.venue.uuid),
                "location": location(activity.venue),
            }
        ]
        if sal_id
        else []
    )
    data["languages"] = languages(activity)
    data["funding"] = []
    data["cost_options"] = cost_options(activity)
    data["contacts"] = contacts(activity)
    data["attributes"] = attributes(activity)
    return data


# Services at locations ----------------------------------------------------------------------


def _sal_id(activity) -> str | None:
    """The activity's stored service_at_location id, when it is at a venue."""
    if activity.venue_id is None or activity.location_uuid is None:
        return None
    return str(activity.location_uuid)


def service_at_location(activity, ctx: Context, *, full: bool) -> dict:
    """An activity at its venue; `full` adds the service's sessions and the location's
    accessibility (the item endpoint and the stream)."""
    sal_id = _sal_id(activity)
    data = {
        "id": sal_id,
        "service_id": str(activity.uuid),
        "location_id": str(activity.venue.uuid),
        "location": location(activity.venue),
        "service": service_brief(activity, ctx),
    }
    if full:
        data["schedules"] = schedules(activity, service_at_location_id=sal_id)
    return data


def api_details(ctx: Context) -> dict:
    return {"version": VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}
