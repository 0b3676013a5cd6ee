"""All of England in the background: one run at a time, progress as it goes, a summary per
local authority and every area as CSV, a failure recorded on the run."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common import deprivation
from insights import services
from insights.models import EnglandRun
from insights.services import england_run_execute, england_run_start
from tests.factories.matching import TeamFactory, make_facilitator

pytestmark = pytest.mark.django_db

TWO = {"E09000001": "City of London", "E09000032": "Wandsworth"}


@pytest.fixture
def two_districts(monkeypatch, settings, tmp_path):
    """England cut down to two districts, so that a run takes a second."""
    monkeypatch.setattr(deprivation, "districts", lambda: dict(TWO))
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def test_a_run_covers_every_district_with_a_summary_and_a_file(two_districts, near_sw18):
    run, started = england_run_start()
    assert started and run.status == EnglandRun.Status.QUEUED and run.districts_total == 2

    run = england_run_execute(run_id=run.pk)

    assert run.status == EnglandRun.Status.DONE and run.percent == 100
    areas = sum(len(deprivation.in_district(code)) for code in TWO)
    assert run.areas_done == areas and run.seconds is not None
    assert [s["code"] for s in run.summary] == list(TWO)
    wandsworth = run.summary[1]
    assert wandsworth["residents"] == sum(
        n.population for n in deprivation.in_district("E09000032")
    )
    assert wandsworth["fewest_reached_without"] <= wandsworth["residents"]
    lines = run.file.open("rb").read().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Local authority code,Local authority,Area code")
    assert len(lines) == 1 + areas * 15


def test_only_one_run_at_a_time(two_districts):
    first, started = england_run_start()
    again, started_again = england_run_start()
    assert started and not started_again and again.pk == first.pk
    england_run_execute(run_id=first.pk)
    assert england_run_start()[1]
    # A run that is not waiting is not run twice.
    assert england_run_execute(run_id=first.pk).status == EnglandRun.Status.DONE


def test_a_failure_is_recorded_on_the_run(two_districts, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("the deprivation file is damaged")

    monkeypatch.setattr(services, "district_gaps", broken)
    run, _ = england_run_start()
    run = england_run_execute(run_id=run.pk)
    assert run.status == EnglandRun.Status.FAILED
    assert "damaged" in run.error and run.finished_at is not None


def test_commissioners_start_a_run_follow_it_and_download_it(
    client, commissioner, two_districts, near_sw18, django_capture_on_commit_callbacks
):
    client.force_login(commissioner)
    assert "Work out all of England" in client.get(reverse("insights:england")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("insights:england"))
    assert response.status_code == 302
    run = EnglandRun.objects.get()
    assert run.status == EnglandRun.Status.DONE and run.started_by == commissioner

    progress = client.get(reverse("insights:england_progress", args=[run.pk])).json()
    assert progress == {"status": "done", "status_label": "Finished", "districts_done": 2,
                        "districts_total": 2, "percent": 100}  # fmt: skip
    page = client.get(reverse("insights:england"))
    assert "no-store" in page["Cache-Control"]
    body = page.content.decode()
    assert "2 local authorities" in body and "Wandsworth" in body
    download = client.get(reverse("insights:england_csv", args=[run.pk]))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content).count(b"\n") == 1 + run.areas_done * 15


def test_an_unfinished_or_unknown_run_has_no_download(client, commissioner, two_districts):
    client.force_login(commissioner)
    run, _ = england_run_start()
    assert client.get(reverse("insights:england_csv", args=[run.pk])).status_code == 404
    assert client.get(reverse("insights:england_progress", args=[999999])).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_commissioners_see_or_start_england(client, method, two_districts):
    url = reverse("insights:england")
    assert getattr(client, method)(url).status_code == 302
    client.force_login(make_facilitator(TeamFactory()))
    assert getattr(client, method)(url).status_code == 403
    assert not EnglandRun.objects.exists()


def test_a_run_that_stopped_moving_does_not_block_the_next(two_districts):
    stuck, _ = england_run_start()
    EnglandRun.objects.filter(pk=stuck.pk).update(
        status=EnglandRun.Status.RUNNING, updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    run, started = england_run_start()
    assert started and run.pk != stuck.pk
    stuck.refresh_from_db()
    assert stuck.status == EnglandRun.Status.FAILED and "stopped without finishing" in stuck.error


def test_each_local_authority_is_placed_where_its_residents_live(two_districts, near_sw18):
    run = england_run_execute(run_id=england_run_start()[0].pk)

    city, wandsworth = run.summary
    for row, code in ((city, "E09000001"), (wandsworth, "E09000032")):
        areas = deprivation.in_district(code)
        lats = [n.lat for n in areas]
        assert min(lats) <= row["lat"] <= max(lats)
        assert min(n.lng for n in areas) <= row["lng"] <= max(n.lng for n in areas)
    # Wandsworth lies south west of the City.
    assert wandsworth["lat"] < city["lat"] and wandsworth["lng"] < city["lng"]
    assert wandsworth["without"]["mental-wellbeing"] < wandsworth["without"]["digital-skills"]
    assert wandsworth["without"]["digital-skills"] == wandsworth["residents"]


def test_the_map_of_england_colours_each_authority_by_the_share_chosen(
    client, commissioner, two_districts, near_sw18
):
    run = england_run_execute(run_id=england_run_start()[0].pk)
    client.force_login(commissioner)

    page = client.get(reverse("insights:england"), {"measure": "digital-skills"})
    fallback = client.get(reverse("insights:england"), {"measure": "<b>nope</b>"})
    table = client.get(reverse("insights:england"), {"measure": "core20", "format": "csv"})

    data = page.context["map_data"]
    assert {a["code"] for a in data["areas"]} == set(TWO)
    wandsworth = next(a for a in data["areas"] if a["code"] == "E09000032")
    assert wandsworth["value"] == "100.0%"
    assert "Residents with none within walking distance: Digital skills" in (page.content.decode())
    assert fallback.status_code == 200
    assert fallback.context["found"].measure == "core20"
    assert "<b>nope</b>" not in fallback.content.decode()
    rows = table.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Local authority code,Local authority,Small areas,Residents")
    assert len(rows) == 3
    shares = [float(r.split(",")[4]) for r in rows[1:]]
    assert shares == sorted(shares, reverse=True)
    by_code = {s["code"]: s for s in run.summary}
    core20 = 100 * by_code["E09000032"]["core20_residents"] / by_code["E09000032"]["residents"]
    assert f"{core20:.1f}" in table.content.decode()


def test_a_run_made_before_the_map_still_shows_its_table(client, commissioner, two_districts):
    run = england_run_execute(run_id=england_run_start()[0].pk)
    for row in run.summary:
        del row["lat"], row["lng"], row["without"]
    run.save(update_fields=["summary"])
    client.force_login(commissioner)

    page = client.get(reverse("insights:england"))
    refused = client.get(reverse("insights:england"), {"format": "xlsx"})

    body = page.content.decode()
    assert "run it again to see each local authority on a map" in body
    assert 'id="insights-map-data"' not in body
    assert "City of London" in body and "Wandsworth" in body
    assert refused.status_code == 400
