"""The demo site, composed of every app's own demo builders.

cms sits above the apps, so only here may the directory's borough and matching's teams and
people meet: the directory knows nothing of people, and each app builds only its own data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from assets_directory.demo.builder import SEED, DemoBuilder, DemoSummary, ensure_demo_accounts
from casework.demo import ensure_demo_plan, ensure_demo_wellbeing
from coproduction.demo import ensure_demo_coproduction
from harvest.demo import ensure_demo_harvest
from matching.demo import ensure_demo_teams
from search.demo import ensure_demo_zero_results

# The site's own demo account, with a published password, like every app's demo accounts.
ADMIN_ACCOUNT = ("admin", "common-ground-admin", "Administrator (superuser)")


@dataclass
class DemoSite:
    borough: DemoSummary
    # (role, username, password) of every demo account; empty when built without accounts.
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


def demo_load(
    *,
    seed: int = SEED,
    organisations: int = 150,
    activities: int = 400,
    accounts: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSite:
    """Load the demo borough, then (with `accounts`) every app's demo accounts, teams and
    people. Running it again changes nothing, and still returns the accounts' credentials.

    Without `accounts` nothing with a password is made, nor any person's record: what a
    benchmark needs, and safe on a server whatever its settings.
    """
    borough = DemoBuilder(
        seed=seed, organisations=organisations, activities=activities, progress=progress
    ).build()
    site = DemoSite(borough=borough)
    if accounts:
        site.accounts = [
            _ensure_admin(),
            *ensure_demo_accounts(),
            *ensure_demo_teams(),
            # After the directory's accounts: its demo editor's group is in a partnership.
            *ensure_demo_coproduction(),
        ]
        # After the accounts: the demo moderator takes one harvested record over.
        ensure_demo_harvest()
        # After the teams' people: one of them has a wellbeing score from a few weeks ago.
        ensure_demo_wellbeing()
        # ...and a plan of activities that take referrals, ready to refer from.
        ensure_demo_plan()
        # A year of searches that found nothing, for the commissioners' report and trends.
        ensure_demo_zero_results(seed=seed)
    return site


def _ensure_admin() -> tuple[str, str, str]:
    username, password, role = ADMIN_ACCOUNT
    users = get_user_model().objects
    if not users.filter(username=username).exists():
        users.create_superuser(username, f"{username}@example.org", password)
    return (role, username, password)
