"""HSDS's tabular form: a CSV datapackage, in a folder or a zip."""

import shutil
import zipfile

import pytest

from assets_directory.models import Activity
from harvest.models import HarvestProblem, HarvestRun

from .conftest import HSDS_EXAMPLES

pytestmark = pytest.mark.django_db

CSV = HSDS_EXAMPLES / "csv"


def test_hsds_example_datapackage_imports_like_its_json(harvest, tmp_path):
    run = harvest(path=CSV, source="From CSV")
    assert run.state == HarvestRun.State.FINISHED
    assert run.problems.filter(severity=HarvestProblem.Severity.SKIPPED).count() == 0
    assert run.created == 1
    from_csv = Activity.objects.get(harvested_record__source__name="From CSV")
    harvest(path=HSDS_EXAMPLES / "service_full.json", source="From JSON")
    from_json = Activity.objects.get(harvested_record__source__name="From JSON")
    fields = ["title", "summary", "status", "age_min", "age_max", "cost", "contact_email",
              "delivery", "who_for"]  # fmt: skip
    assert [getattr(from_csv, f) for f in fields] == [getattr(from_json, f) for f in fields]
    assert from_csv.get_parent().title == from_json.get_parent().title
    assert from_csv.venue.name == from_json.venue.name == "MyCity Civic Center"


def test_a_zipped_datapackage_imports(harvest, tmp_path):
    package = tmp_path / "package.zip"
    with zipfile.ZipFile(package, "w") as archive:
        for table in CSV.glob("*.csv"):
            archive.write(table, f"hsds/{table.name}")
    run = harvest(path=package)
    assert (run.state, run.created) == (HarvestRun.State.FINISHED, 1)


def test_a_bad_number_in_a_csv_is_reported_for_its_record(harvest, tmp_path):
    folder = tmp_path / "package"
    shutil.copytree(CSV, folder, symlinks=True)
    services = (folder / "services.csv").read_text().replace(",12,100,", ",twelve,100,")
    (folder / "services.csv").write_text(services)
    run = harvest(path=folder)
    (problem,) = run.problems.filter(severity=HarvestProblem.Severity.SKIPPED)
    assert problem.field == "minimum_age" and "whole number" in problem.reason
    assert run.created == 0


def test_a_package_without_services_fails_clearly(harvest, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "organizations.csv").write_text("id,name\n1,A\n")
    run = harvest(path=folder)
    assert run.state == HarvestRun.State.FAILED
    assert "no services.csv" in run.error
