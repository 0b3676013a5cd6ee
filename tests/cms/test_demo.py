"""`manage.py load_demo`: the whole demo site, composed in cms from each app's builders."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page

from assets_directory.models import Activity, ActivitySchedule, Organisation, Venue
from coproduction.models import CapabilityProfile, Partnership, ServiceTeam
from harvest.demo import DEMO_SOURCE
from harvest.models import DuplicatePair, HarvestConflict, HarvestProblem, TermMapping
from matching.models import Person, Team


def load(**options):
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        load(organisations=2, activities=2)
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_load_demo_builds_borough_and_second_run_changes_nothing(settings, directory):
    settings.DEBUG = True
    output = load(organisations=12, activities=30)
    assert "12 organisations, 30 activities" in output
    assert "username 'admin', password 'common-ground-admin'" in output
    # The borough's own listings; the neighbouring feed's are counted below.
    local = {"harvested_record__isnull": True}
    assert Organisation.objects.filter(**local).count() == 12
    assert Activity.objects.filter(**local).count() == 30
    assert ActivitySchedule.objects.filter(activity__harvested_record__isnull=True).count() == 30
    assert Venue.objects.filter(latitude__isnull=False).count() == Venue.objects.count() > 0
    every_activity_has_a_category = not Activity.objects.filter(
        categories__isnull=True, **local
    ).exists()
    assert every_activity_has_a_category
    # Harvesting's part: a neighbouring feed, with what a moderator has to decide.
    assert Activity.objects.filter(harvested_record__source__name=DEMO_SOURCE).count() == 4
    assert HarvestProblem.objects.filter(severity="skipped").exists()
    assert TermMapping.objects.filter(category__isnull=True).count() == 1
    assert DuplicatePair.objects.filter(decision="pending").count() == 1
    assert HarvestConflict.objects.filter(decision="pending").count() == 1
    # Every app's part: the directory's accounts, matching's teams and people, and
    # coproduction's service teams and partnerships (on as many groups as a small borough has).
    for username in (
        "admin", "moderator", "editor", "linkworker", "librarian", "commissioner", "teamlead",
        "teammember",
    ):  # fmt: skip
        assert authenticate(username=username, password=f"common-ground-{username}"), username
    assert Team.objects.count() == 2 and Person.objects.exists()
    assert ServiceTeam.objects.count() == 7
    assert CapabilityProfile.objects.count() == 12
    assert Partnership.objects.exists()

    counts = (Page.objects.count(), Activity.objects.count(), Venue.objects.count())
    people = Person.objects.count()
    partnerships = Partnership.objects.count()
    output = load(organisations=12, activities=30)
    assert "nothing was changed" in output
    assert "username 'editor'" in output
    assert "username 'linkworker'" in output
    assert "username 'teamlead', password 'common-ground-teamlead'" in output
    assert (Page.objects.count(), Activity.objects.count(), Venue.objects.count()) == counts
    assert Person.objects.count() == people
    assert Partnership.objects.count() == partnerships


@pytest.mark.django_db
def test_load_demo_without_accounts_runs_with_debug_off_and_makes_no_account(settings, directory):
    # What the benchmark does: the borough alone, as a site is served, with no password made.
    settings.DEBUG = False
    output = load(organisations=2, activities=3, without_accounts=True)
    assert "2 organisations, 3 activities" in output
    assert "password" not in output
    assert Activity.objects.count() == 3
    assert not get_user_model().objects.exists()
    assert not Person.objects.exists()
