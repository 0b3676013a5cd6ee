import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail import hooks

from assets_directory.listing_notes import HOOK as LISTING_NOTES
from assets_directory.listing_notes import LINKS_HOOK as LISTING_LINKS
from assets_directory.models import Activity
from matching.sections import (
    EXPORT_HOOK,
    FIGURES_HOOK,
    HOOK,
    LED_TEAM_LINKS_HOOK,
    NETWORK_HOOK,
    PLAN_ITEM_HOOK,
    ExportPart,
    RecordSection,
    SuggestedMember,
)
from matching.selectors.records import Entry

from .dashboard import GroupReferralsPanel
from .models import Referral
from .selectors import items_to_refer, joined_referrals, person_referrals, usual_reply_days
from .status import Status


@hooks.register(HOOK)
def referrals_section(request, person):
    """The record page's "Referrals": each referral and where it stands, and the plan's
    activities that could be referred."""
    return RecordSection(
        "referrals/includes/person_referrals.html",
        {
            "person": person,
            "referrals": person_referrals(person),
            "to_refer": items_to_refer(person),
            "today": timezone.localdate(),
        },
    )


@hooks.register(EXPORT_HOOK)
def referrals_export(person):
    """The person's referrals, what was shared and what happened, for their export."""
    found = person.referrals.prefetch_related("events")
    data = [
        {
            "activity": r.activity_title,
            "group": r.organisation_title,
            "made_on": r.created_at.isoformat(),
            "status": r.status_label,
            "reason": r.reason_label,
            "answer_due_by": r.due_by.isoformat(),
            "shared_with_the_group": None
            if r.shared_erased_at
            else {
                "first_name": r.first_name,
                "contact": r.contact,
                "contact_by": r.get_contact_by_display(),
                "help_with": r.help_with,
                "access_needs": r.access_needs,
            },
            "consent_to_share": r.get_consent_method_display(),
            "history": [
                {
                    "at": e.at.isoformat(),
                    "status": e.get_status_display(),
                    "reason": e.reason_label,
                    "note": e.note,
                }
                for e in r.events.all()
            ],
        }
        for r in found
    ]
    entries = [
        Entry(
            heading=f"{r['activity']} ({r['group'] or 'a group'})",
            rows=[
                ("Made on", _day(r["made_on"])),
                (
                    "Where it stands",
                    r["status"] + (f": {r['reason'].lower()}" if r["reason"] else ""),
                ),
                ("Answer due by", _day(r["answer_due_by"])),
                ("How they agreed to share", r["consent_to_share"]),
                *(
                    [
                        ("Shared: name", shared["first_name"]),
                        ("Shared: how to contact them", shared["contact"] or "Through the team"),
                        ("Shared: how they like to be contacted", shared["contact_by"]),
                        (
                            "Shared: what they would like help with",
                            shared["help_with"] or "Not given",
                        ),
                        ("Shared: access needs", shared["access_needs"] or "None given"),
                    ]
                    if (shared := r["shared_with_the_group"])
                    else [("Shared with the group", "Deleted a set time after the referral closed")]
                ),
            ],
            items=[
                f"{_day(e['at'])}: {e['status']}"
                + (f" ({e['reason'].lower()})" if e["reason"] else "")
                + (f". Note: {e['note']}" if e["note"] else "")
                for e in r["history"]
            ],
        )
        for r in data
    ]
    return ExportPart(key="referrals", heading="Referrals to groups", data=data, entries=entries)


def _day(iso: str) -> str:
    return date_format(
        datetime.datetime.fromisoformat(iso) if "T" in iso else datetime.date.fromisoformat(iso),
        "j F Y",
    )


@hooks.register(LISTING_NOTES)
def reply_time_note(page):
    """ "Usually answers referrals within 3 working days", once the group has answered
    enough referrals to say."""
    if not isinstance(page, Activity):
        return None
    if page.referral_route != Activity.ReferralRoute.TAKES_REFERRALS:
        return None
    days = usual_reply_days(page.get_parent().pk)
    if days is None:
        return None
    if days == 0:
        return "Usually answers referrals the same day."
    return f"Usually answers referrals within {days} working day{'s' if days != 1 else ''}."


@hooks.register(FIGURES_HOOK)
def referral_figures_page():
    return ("Referrals by outcome", reverse("referrals:figures"))


@hooks.register(PLAN_ITEM_HOOK)
def referral_outcomes(items):
    """Under each plan item on the follow-up page: what its referrals came to."""
    found: dict[int, list[str]] = {}
    referrals = Referral.objects.filter(plan_item__in=[i.pk for i in items]).order_by("created_at")
    for referral in referrals:
        reason = f": {referral.reason_label.lower()}" if referral.reason_label else ""
        found.setdefault(referral.plan_item_id, []).append(
            f"Referral of {date_format(referral.created_at, 'j M Y')}: "
            f"{referral.status_label}{reason}."
        )
    return found


@hooks.register(LED_TEAM_LINKS_HOOK)
def api_keys_link(team):
    return (
        f"API keys for {team.name}'s other systems",
        reverse("referrals:api_keys", args=[team.slug]),
    )


@hooks.register(LISTING_LINKS)
def refer_link(page):
    """Link workers refer someone straight from the activity's page."""
    if isinstance(page, Activity) and page.referral_route == Activity.ReferralRoute.TAKES_REFERRALS:
        return ("Refer someone you support (for link workers)",
                reverse("referrals:refer_choose", args=[page.pk]))  # fmt: skip
    return None


@hooks.register("construct_homepage_panels")
def group_referrals_on_the_dashboard(request, panels):
    """The referrals made to the groups the user edits, for them to answer when signed in."""
    panel = GroupReferralsPanel.for_user(request.user)
    if panel is not None:
        panels.append(panel)


@hooks.register(NETWORK_HOOK)
def joined_groups(person):
    """For the network page: each group the person has joined through a referral, to add to
    their map in the outer circle (a new tie: they can move it closer), weekly when they go
    regularly."""
    suggestions = []
    for referral in joined_referrals(person):
        name = referral.organisation_title or referral.activity_title
        what = (
            f"{referral.organisation_title} ({referral.activity_title})"
            if referral.organisation_title
            else referral.activity_title
        )
        suggestions.append(
            SuggestedMember(
                key=f"referral-{referral.reference}",
                label=name,
                kind="group",
                circle=3,
                frequency="weekly" if referral.status == Status.COMPLETED else None,
                why=f"They have joined {what} through a referral "
                f"({referral.status_label.lower()}).",
                other_names=(referral.activity_title,),
            )
        )
    return suggestions
