"""The Open Referral UK 3.0 feed at /openreferral/: every answer valid against the ORUK 3.0
schemas (formats checked), walked as the official validator walks a feed."""

import pytest

from .validation import assert_valid

LISTS = {
    "/services": "/services/{id}",
    "/service_at_locations": "/service_at_locations/{id}",
    "/organizations": "/organizations/{id}",
    "/taxonomies": "/taxonomies/{id}",
    "/taxonomy_terms": "/taxonomy_terms/{id}",
}


def get(client, path, **params):
    return client.get(f"/openreferral{path}", params)


@pytest.mark.django_db
def test_root_names_the_uk_profile_with_absolute_urls(client):
    response = get(client, "/")
    assert response.status_code == 200
    data = response.json()
    assert_valid("/", data)
    assert data["version"] == "HSDS-UK-3.0"
    assert data["profile"].startswith("https://")
    assert data["openapi_url"].startswith("https://")


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(LISTS))
def test_lists_and_their_items_validate_as_the_official_validator_walks_them(client, borough, path):
    first = get(client, path, per_page=3)
    assert first.status_code == 200, first.content
    data = first.json()
    assert_valid(path, data)
    pages = data["total_pages"]
    ids = []
    for page in sorted({1, (pages + 1) // 2, pages}):
        response = get(client, path, per_page=3, page=page)
        assert response.status_code == 200
        data = response.json()
        assert_valid(path, data)
        assert data["page_number"] == page
        assert data["first_page"] == (page == 1)
        assert data["last_page"] == (page == pages)
        assert data["size"] == len(data["contents"])
        ids += [item["id"] for item in data["contents"]]
    assert ids
    for item_id in ids[:10]:
        response = get(client, LISTS[path].replace("{id}", item_id))
        assert response.status_code == 200, (item_id, response.content)
        assert_valid(LISTS[path], response.json())
        assert response.json()["id"] == item_id
