from django.utils import timezone
from wagtail import hooks

from matching.sections import HOOK, RecordSection

from .selectors import items_to_refer, person_referrals


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
