"""One setting, SITE_URL, gives the address of every link that leaves the site."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from wagtail.models import Site

from cms.services import site_update_address
from common.site import absolute_url, parse_site_url


@pytest.mark.django_db
def test_migrate_points_the_wagtail_site_at_site_url(activity):
    # The test database is made by migrate, with SITE_URL=http://testserver.
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("testserver", 80)
    assert activity.full_url == f"http://testserver{activity.url}"


@pytest.mark.django_db
def test_site_address_follows_a_new_site_url_once(activity, django_assert_num_queries):
    site_update_address(url="https://directory.example.org")
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("directory.example.org", 443)
    activity.refresh_from_db()
    assert activity.get_full_url() == f"https://directory.example.org{activity.url}"
    with django_assert_num_queries(1):  # reads the record, writes nothing
        site_update_address(url="https://directory.example.org")
    site_update_address(url="http://127.0.0.1:8000")
    assert Site.objects.filter(hostname="127.0.0.1", port=8000, is_default_site=True).exists()


def test_absolute_url_joins_paths_to_site_url():
    assert settings.WAGTAILADMIN_BASE_URL == settings.SITE_URL == "http://testserver"
    assert absolute_url("/directory/") == "http://testserver/directory/"
    assert absolute_url("directory/") == "http://testserver/directory/"
    assert absolute_url("//elsewhere.example/x") == "http://testserver/elsewhere.example/x"
    assert absolute_url("https://other.example.org/a/") == "https://other.example.org/a/"


@pytest.mark.parametrize(
    "value",
    ["", "directory.example.org", "ftp://x.org", "https://x.org/directory", "https://x.org?a=1",
     "https://user:pw@x.org", "https://x.org:99999"],
)  # fmt: skip
def test_site_url_must_be_a_plain_address(value):
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        parse_site_url(value)


def test_site_url_keeps_its_port_and_loses_a_trailing_slash():
    assert parse_site_url("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("site_url", "message"),
    [
        (None, "Set SITE_URL"),
        ("http://directory.example.org", "must start with https://"),
        ("https://elsewhere.example.org", "must be one of ALLOWED_HOSTS"),
    ],
)
def test_production_settings_require_a_public_https_site_url(site_url, message):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SITE_URL", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS", "SECRET_KEY")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="directory.example.org",
    )
    if site_url:
        env["SITE_URL"] = site_url
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert message in result.stderr
