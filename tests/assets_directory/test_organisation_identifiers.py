"""An organisation's registered numbers, shown on its page (and published in the Open
Referral feed as organization_identifiers: tests/openreferral)."""

import pytest

from tests.factories import OrganisationFactory


@pytest.mark.django_db
def test_the_organisation_page_shows_its_charity_and_company_numbers(client, directory):
    organisation = OrganisationFactory(
        parent=directory, charity_number="1123456", company_number="01234567"
    )
    page = client.get(organisation.url).content.decode()
    assert "Registered charity" in page and "1123456" in page
    assert "Company number" in page and "01234567" in page


@pytest.mark.django_db
def test_no_company_number_no_line(client, directory):
    organisation = OrganisationFactory(parent=directory)
    assert "Company number" not in client.get(organisation.url).content.decode()
