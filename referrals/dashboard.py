"""The group's side on the Wagtail dashboard: the referrals made to the organisations a user
edits, with what was shared and a link to answer each that is still open.

Groups without an account answer through the link in their e-mail (referrals.links); a group
with one finds the same link here, so that an e-mail lost or deleted does not lose the person.
"""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.ui.components import Component

from .links import group_token
from .selectors import GROUP_RECENTLY_CLOSED_DAYS, group_referrals


class GroupReferralsPanel(Component):
    name = "group_referrals"
    template_name = "referrals/admin/group_referrals_panel.html"
    # Before the group's listings (10): a person waiting for an answer comes first.
    order = 5

    def __init__(self, referrals):
        self.referrals = referrals

    @classmethod
    def for_user(cls, user) -> GroupReferralsPanel | None:
        """The panel for an editor of an organisation with referrals to show; None for
        anyone else (moderators and superusers included, unless they edit one themselves)."""
        referrals = group_referrals(user=user)
        return cls(referrals) if referrals else None

    def get_context_data(self, parent_context=None):
        by_organisation: dict[int, list] = {}
        for referral in self.referrals:
            by_organisation.setdefault(referral.organisation_id, []).append(referral)
        groups = [
            {
                "organisation": referrals[0].organisation,
                "referrals": [
                    {
                        "referral": referral,
                        # The e-mail's link (referrals.links), signed with the referral's
                        # current nonce: made afresh each time the dashboard is shown, and spent
                        # like the e-mail's once used. A path, not SITE_URL's full address: the
                        # admin may be reached by another name.
                        "answer_url": reverse("referrals:answer", args=[group_token(referral)])
                        if referral.can_answer
                        else "",
                    }
                    for referral in referrals
                ],
            }
            for referrals in sorted(
                by_organisation.values(), key=lambda found: found[0].organisation.title
            )
        ]
        return {"groups": groups, "recent_days": GROUP_RECENTLY_CLOSED_DAYS}
