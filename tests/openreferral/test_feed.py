"""The Open Referral UK 3.0 feed at /openreferral/: every answer valid against the ORUK 3.0
schemas (formats checked), walked as the official validator walks a feed."""

import json

import pytest
from wagtail.models import PageViewRestriction

from assets_directory.models import Activity

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


def ids_of(client, path, **params):
    params.setdefault("per_page", 500)
    response = get(client, path, **params)
    assert response.status_code == 200, response.content
    assert_valid(path, response.json())
    return [item["id"] for item in response.json()["contents"]]


def uuids(activities):
    return {str(a.uuid) for a in activities}


def named(borough, prefix):
    return [a for a in borough["activities"] if a.title.startswith(prefix)]


# What is published --------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_live_listed_activities_are_published(client, borough):
    listed = ids_of(client, "/services")
    assert set(listed) == uuids(borough["activities"])
    for hidden in (borough["draft"], borough["ended"]):
        assert str(hidden.uuid) not in listed
        response = get(client, f"/services/{hidden.uuid}")
        assert response.status_code == 404
        assert response.json()["error"]


@pytest.mark.django_db
def test_service_at_locations_are_the_activities_held_at_a_venue(client, borough):
    found = ids_of(client, "/service_at_locations")
    with_venue = [a for a in borough["activities"] if a.venue_id]
    assert len(found) == len(with_venue)
    response = get(client, f"/service_at_locations/{found[0]}")
    assert response.json()["service_id"] in uuids(with_venue)


@pytest.mark.django_db
def test_a_temporarily_closed_activity_says_so(client, borough):
    (walk,) = [a for a in borough["activities"] if a.title == "Health walk 7"]
    data = get(client, f"/services/{walk.uuid}").json()
    assert data["status"] == "temporarily closed"


@pytest.mark.django_db
def test_a_service_maps_sessions_costs_contacts_and_categories(client, borough):
    walk = named(borough, "Health walk 0")[0]
    data = get(client, f"/services/{walk.uuid}").json()
    fortnightly, monthly = data["schedules"]
    assert fortnightly["freq"] == "WEEKLY" and fortnightly["interval"] == 2
    assert fortnightly["byday"] == "SA" and fortnightly["dtstart"] == "2026-01-03"
    assert (fortnightly["opens_at"], fortnightly["closes_at"]) == ("10:00", "11:00")
    assert "term time only" in fortnightly["description"].lower()
    assert monthly["freq"] == "MONTHLY" and monthly["byday"] == "-1WE"
    assert data["cost_options"][0]["amount"] == 3.0
    assert data["cost_options"][0]["option"] == "Paid"
    assert [a["taxonomy_term"]["code"] for a in data["attributes"]] == ["walking"]
    choir = named(borough, "Community choir 3")[0]
    data = get(client, f"/services/{choir.uuid}").json()
    assert data["contacts"][0]["phones"][0]["number"] == "020 8123 4567"
    assert data["minimum_age"] == 18
    assert "older people" in data["eligibility_description"]
    assert [lang["code"] for lang in data["languages"]] == ["en", "pl"]
    identifiers = data["organization"]["organization_identifiers"]
    assert [(i["identifier_scheme"], i["identifier"]) for i in identifiers] == [
        ("GB-CHC", "1123456"),
        ("GB-COH", "01234567"),
    ]
    assert "<" not in data["description"] and "water & a smile" in data["description"]


@pytest.mark.django_db
def test_online_and_phone_activities_have_service_areas_and_no_location(client, borough):
    phone = named(borough, "Friendly phone calls 1")[0]
    data = get(client, f"/services/{phone.uuid}").json()
    assert data["service_at_locations"] == []
    assert data["service_areas"][0]["service_area"] == "SW17, SW18"
    anywhere = named(borough, "Friendly phone calls 0")[0]
    area = get(client, f"/services/{anywhere.uuid}").json()["service_areas"][0]
    assert area["name"] == "Online: anywhere"


@pytest.mark.django_db
def test_every_id_a_list_gives_resolves(client, borough):
    for path, item in LISTS.items():
        for item_id in ids_of(client, path):
            response = get(client, item.replace("{id}", item_id))
            assert response.status_code == 200, (path, item_id)


# Filters ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_finds_through_the_index(client, borough):
    found = ids_of(client, "/services", search="walk")
    assert set(found) == uuids(named(borough, "Health walk"))
    assert ids_of(client, "/services", search="zzzzqqqq") == []
    paged = get(client, "/services", search="walk", per_page=3, page=3).json()
    assert paged["total_items"] == 8 and paged["size"] == 2 and paged["last_page"]
    walks = ids_of(client, "/services", search="walk")
    pages = [ids_of(client, "/services", search="walk", per_page=n, page=p) for n, p in
             ((150, 1), (3, 1), (3, 2))]  # fmt: skip
    assert pages[0] == walks and pages[1] + pages[2] == walks[:6]


@pytest.mark.django_db
def test_search_combines_with_the_other_filters(client, borough):
    walkers = str(borough["walkers"].uuid)
    found = ids_of(client, "/services", search="walk", organization_id=walkers)
    assert set(found) == uuids(named(borough, "Health walk"))
    assert ids_of(client, "/services", search="choir", organization_id=walkers) == []
    at_venues = get(client, "/service_at_locations", search="choir", per_page=500).json()
    services = {item["service_id"] for item in at_venues["contents"]}
    assert uuids(named(borough, "Community choir")) <= services
    assert not services & uuids(named(borough, "Health walk"))


@pytest.mark.django_db
def test_taxonomy_term_filter_includes_narrower_terms(client, borough):
    terms = get(client, "/taxonomy_terms", per_page=500).json()["contents"]
    by_code = {t["code"]: t for t in terms}
    walking = by_code["walking"]
    assert set(ids_of(client, "/services", taxonomy_term_id=walking["id"])) == uuids(
        named(borough, "Health walk")
    )
    parent = walking["parent_id"]
    assert set(ids_of(client, "/services", taxonomy_term_id=parent)) >= uuids(
        named(borough, "Health walk")
    )
    children = ids_of(client, "/taxonomy_terms", parent_id=parent)
    assert walking["id"] in children
    assert all(
        "parent_id" not in t
        for t in get(client, "/taxonomy_terms", top_only="true", per_page=500).json()["contents"]
    )


@pytest.mark.django_db
def test_taxonomy_id_filter(client, borough):
    (taxonomy,) = get(client, "/taxonomies").json()["contents"]
    assert len(ids_of(client, "/services", taxonomy_id=taxonomy["id"])) == 25
    other = "00000000-0000-4000-8000-000000000000"
    assert ids_of(client, "/services", taxonomy_id=other) == []
    assert ids_of(client, "/taxonomy_terms", taxonomy_id=other) == []


@pytest.mark.django_db
def test_organization_filter(client, borough):
    walkers = borough["walkers"]
    found = ids_of(client, "/services", organization_id=str(walkers.uuid))
    assert set(found) == uuids(named(borough, "Health walk"))
    found = ids_of(client, "/service_at_locations", organization_id=str(walkers.uuid))
    assert len(found) == 8


@pytest.mark.django_db
def test_modified_after(client, borough):
    found = ids_of(client, "/services", modified_after="2026-01-01T00:00:00Z")
    assert set(found) == uuids(borough["activities"]) - uuids(named(borough, "Community choir"))
    assert ids_of(client, "/services", modified_after="2026-07-01") == []


@pytest.mark.django_db
def test_postcode_and_proximity_in_metres(client, borough):
    near = ids_of(client, "/service_at_locations", postcode="SW18 4DJ", proximity="1000")
    farther = ids_of(client, "/service_at_locations", postcode="SW18 4DJ", proximity="3000")
    everywhere = ids_of(client, "/service_at_locations", postcode="SW18 4DJ")
    # The library is in SW18 (8 choirs and the chess club); the common is 2.3 km away.
    assert len(near) == 9
    assert len(farther) == 18
    assert len(everywhere) == 19
    # Nearest first.
    services = get(client, "/service_at_locations", postcode="SW18 4DJ", per_page=500).json()
    last = services["contents"][-1]
    assert last["location"]["name"] == "Manchester Hall"


@pytest.mark.django_db
def test_ages(client, borough):
    adults = ids_of(client, "/services", minimum_age="18")
    assert set(adults) == uuids(named(borough, "Community choir")[1::2])
    capped = ids_of(client, "/services", maximum_age="65")
    assert set(capped) == uuids([named(borough, "Community choir")[i] for i in (1, 5)])


@pytest.mark.django_db
def test_day_and_times_come_from_the_sessions(client, borough):
    choirs = uuids(named(borough, "Community choir"))
    walks = uuids(named(borough, "Health walk"))
    assert set(ids_of(client, "/services", day="TU")) == choirs
    assert set(ids_of(client, "/services", day="sat")) == walks
    # Monthly on the last Wednesday at 18:00.
    assert set(ids_of(client, "/services", day="WE", start_time="17:00", end_time="20:00")) == (
        walks
    )
    assert set(ids_of(client, "/services", start_time="09:00", end_time="11:00")) == walks
    assert ids_of(client, "/services", day="TU", start_time="11:00") == []
    # A one-off session counts on its own date's day.
    (once,) = named(borough, "Manchester choir")
    day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][once.schedules.get().on_date.weekday()]
    assert str(once.uuid) in ids_of(client, "/services", day=day)


@pytest.mark.django_db
def test_ndjson_streams_everything_without_pages(client, borough):
    response = get(client, "/services", format="ndjson", per_page=2)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/x-ndjson"
    assert response["Access-Control-Allow-Origin"] == "*"
    lines = b"".join(response.streaming_content).decode().splitlines()
    records = [json.loads(line) for line in lines]
    assert {r["id"] for r in records} == uuids(borough["activities"])
    for record in records:
        assert_valid("/services/{id}", record)
    filtered = get(client, "/services", format="ndjson", search="walk")
    lines = b"".join(filtered.streaming_content).decode().splitlines()
    assert len(lines) == 8


# Errors, CORS and methods -------------------------------------------------------------------

BAD = [
    ("/services", {"page": "0"}),
    ("/services", {"page": "abc"}),
    ("/services", {"page": "１"}),
    ("/services", {"per_page": "100000"}),
    ("/services", {"per_page": "-1"}),
    ("/services", {"format": "xml"}),
    ("/services", {"taxonomy_term_id": "not-a-uuid"}),
    ("/services", {"organization_id": "'; DROP TABLE x; --"}),
    ("/services", {"modified_after": "yesterday"}),
    ("/services", {"modified_after": "2026-13-45T99:00:00Z"}),
    ("/services", {"minimum_age": "1e9"}),
    ("/services", {"minimum_age": "30", "maximum_age": "20"}),
    ("/services", {"day": "someday"}),
    ("/services", {"start_time": "25:00"}),
    ("/services", {"end_time": "<script>"}),
    ("/services", {"search": "x" * 201}),
    ("/services", {"search": "choir\x00"}),
    ("/service_at_locations", {"postcode": "NOT A POSTCODE"}),
    ("/service_at_locations", {"proximity": "1000"}),
    ("/service_at_locations", {"postcode": "SW18 4DJ", "proximity": "far"}),
    ("/service_at_locations", {"postcode": "SW18 4DJ", "proximity": "NaN"}),
    ("/service_at_locations", {"postcode": "SW18 4DJ", "proximity": "0"}),
    ("/service_at_locations", {"postcode": "SW18 4DJ", "proximity": "99999999"}),
    ("/taxonomy_terms", {"top_only": "maybe"}),
    ("/taxonomy_terms", {"parent_id": "x"}),
    ("/services", {"minimal": "yes"}),
    ("/services", {"minimal": "true", "per_page": "100001"}),
    ("/services", {"full": "true", "minimal": "true"}),
    ("/organizations", {"full_service": "1"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("path, params", BAD, ids=[f"{p}:{list(q)[-1]}" for p, q in BAD])
def test_a_bad_parameter_is_a_400_naming_it(client, borough, path, params):
    response = get(client, path, **params)
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["error"]
    assert data["field"] == list(params)[-1]
    assert response["Access-Control-Allow-Origin"] == "*"


ITEMS = ["/services", "/service_at_locations", "/organizations", "/taxonomies", "/taxonomy_terms"]
HOSTILE = [
    "00000000-0000-4000-8000-000000000000",
    "not-a-uuid",
    "%00",
    "' OR 1=1 --",
    "x" * 5000,
    "%F0%9F%92%A9",
    "..%2F..%2Fetc%2Fpasswd",
    "00000000-0001-85a1-8000-000000000001",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ITEMS)
def test_an_unknown_or_malformed_id_is_a_json_404(client, borough, path):
    for bad in HOSTILE:
        response = client.get(f"/openreferral{path}/{bad}")
        assert response.status_code == 404, (bad, response.status_code)
        assert response.json()["error"]
        assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_a_service_at_location_id_names_the_activity_at_its_venue(client, borough):
    (chess,) = named(borough, "Chess club")
    good = Activity.objects.get(pk=chess.pk).location_uuid
    assert get(client, f"/service_at_locations/{good}").json()["service_id"] == str(chess.uuid)
    # The service's own id is not its service at a location's.
    assert get(client, f"/service_at_locations/{chess.uuid}").status_code == 404
    draft = borough["draft"]
    hidden = Activity.objects.get(pk=draft.pk).location_uuid
    assert hidden is not None
    assert get(client, f"/service_at_locations/{hidden}").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", *LISTS, "/nowhere"])
def test_every_answer_is_open_to_any_origin_without_a_key(client, borough, path):
    response = get(client, path)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.status_code == (404 if path == "/nowhere" else 200)
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_the_feed_is_read_only(client, borough):
    response = client.post("/openreferral/services", {"name": "x"})
    assert response.status_code == 405
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/openreferral/services")
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]


@pytest.mark.django_db
def test_a_page_past_the_last_is_empty(client, borough):
    data = get(client, "/services", page=99, per_page=10).json()
    assert_valid("/services", data)
    assert data["contents"] == [] and data["empty"] and data["last_page"]
    assert data["total_items"] == 25


@pytest.mark.django_db
def test_paths_joined_with_a_slash_too_many_are_the_same_paths(client, borough):
    plain = client.get("/openreferral/services").json()
    assert client.get("/openreferral/services/").json() == plain
    assert client.get("/openreferral//services").json() == plain
    item = plain["contents"][0]["id"]
    assert client.get(f"/openreferral/services/{item}/").json()["id"] == item


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(LISTS))
def test_every_list_streams_as_ndjson_its_items_whole(client, borough, path):
    paged = get(client, path, per_page=500).json()
    response = get(client, path, format="ndjson")
    assert response["Content-Type"] == "application/x-ndjson"
    records = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [r["id"] for r in records] == [item["id"] for item in paged["contents"]]
    for record in records[:10]:
        assert_valid(LISTS[path], record)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/services", "/service_at_locations"])
def test_full_true_nests_each_item_as_its_endpoint_does(client, borough, path):
    data = get(client, path, full="true", per_page=4).json()
    assert_valid(path, data)
    for item in data["contents"]:
        assert_valid(LISTS[path], item)
        assert item == get(client, LISTS[path].replace("{id}", item["id"])).json()


@pytest.mark.django_db
def test_minimal_lists_every_service_by_id_and_modified_date_in_one_page(client, borough):
    data = get(client, "/services", minimal="true").json()
    assert_valid("/services", data)
    assert data["total_pages"] == 1
    assert data["size"] == data["total_items"] == len(borough["activities"])
    full = {s["id"]: s for s in get(client, "/services", per_page=500).json()["contents"]}
    assert {item["id"] for item in data["contents"]} == set(full)
    for item in data["contents"]:
        # Just the id and the date, with the name and status the list's schema requires.
        assert set(item) == {"id", "name", "status", "modified_date", "last_modified"}
        assert item["modified_date"] == item["last_modified"] == full[item["id"]]["last_modified"]


@pytest.mark.django_db
def test_minimal_keeps_the_filters_pages_and_ndjson(client, borough):
    walks = uuids(named(borough, "Health walk"))
    data = get(client, "/services", minimal="true", search="walk", per_page=3).json()
    assert_valid("/services", data)
    assert data["total_items"] == len(walks)
    assert data["size"] == 3
    assert {i["id"] for i in data["contents"]} <= walks
    response = get(client, "/services", minimal="true", format="ndjson")
    records = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert {r["id"] for r in records} == uuids(borough["activities"])
    assert all(
        set(r) == {"id", "name", "status", "modified_date", "last_modified"} for r in records
    )
    # minimal belongs to /services: another list's pages stay at most 500.
    assert get(client, "/organizations", minimal="true", per_page=501).status_code == 400


@pytest.mark.django_db
def test_full_service_nests_each_of_an_organizations_services_whole(client, borough):
    choirs = borough["choirs"]
    brief = get(client, f"/organizations/{choirs.uuid}").json()
    data = get(client, f"/organizations/{choirs.uuid}", full_service="true").json()
    assert_valid("/organizations/{id}", data)
    assert [s["id"] for s in data["services"]] == [s["id"] for s in brief["services"]]
    assert len(data["services"]) == 8
    for service in data["services"]:
        assert_valid("/services/{id}", service)
        assert service == get(client, f"/services/{service['id']}").json()
    assert get(client, f"/organizations/{choirs.uuid}", full_service="false").json() == brief


@pytest.mark.django_db
def test_full_service_on_the_organization_list_nests_each_ones_services(client, borough):
    data = get(client, "/organizations", full_service="true", per_page=500).json()
    assert_valid("/organizations", data)
    listed = uuids(borough["activities"])
    nested = [s for org in data["contents"] for s in org["services"]]
    assert {s["id"] for s in nested} == listed
    for org in data["contents"]:
        for service in org["services"]:
            assert service["organization_id"] == org["id"]
    assert all("services" not in org for org in get(client, "/organizations").json()["contents"])


# fmt: off
HOSTILE_VALUES = ["", " ", "-1", "0x10", "1e400", "９", "null", "[]", "{}", "%", "\\", "'", '"',
                  "<b>", "𝕏", "\u202e", "a" * 3000, "1;2", "SW18\t4DJ", "../..", "true\n"]
PARAMETERS = ["search", "page", "per_page", "format", "taxonomy_term_id", "taxonomy_id",
              "organization_id", "modified_after", "postcode", "proximity", "minimum_age",
              "maximum_age", "day", "start_time", "end_time", "full", "top_only", "parent_id",
              "minimal", "full_service"]
# fmt: on


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(LISTS))
def test_no_value_of_any_parameter_is_a_server_error(client, borough, path):
    for name in PARAMETERS:
        for value in HOSTILE_VALUES:
            params = {name: value}
            if name == "proximity":
                params["postcode"] = "SW18 4DJ"
            response = get(client, path, **params)
            assert response.status_code in (200, 400), (name, value, response.status_code)
            if response.status_code == 200 and not response.streaming:
                assert_valid(path, response.json())


@pytest.mark.django_db
def test_a_private_section_leaves_the_feed_at_once(client, borough):
    walkers = borough["walkers"]
    walks = uuids(named(borough, "Health walk"))
    assert walks <= set(ids_of(client, "/services"))
    PageViewRestriction.objects.create(page=walkers, restriction_type="password", password="x")
    assert not walks & set(ids_of(client, "/services"))
    assert str(walkers.uuid) not in ids_of(client, "/organizations")
    assert get(client, f"/organizations/{walkers.uuid}").status_code == 404
    assert get(client, f"/services/{named(borough, 'Health walk 0')[0].uuid}").status_code == 404


@pytest.mark.django_db
def test_an_unpublished_organisations_activities_leave_the_feed(client, borough):
    walkers = borough["walkers"]
    walks = uuids(named(borough, "Health walk"))
    # Wagtail unpublishes the page alone: its activities stay live, under a draft.
    walkers.unpublish()
    assert not walks & set(ids_of(client, "/services"))
    assert not walks & {
        item["service"]["id"]
        for item in get(client, "/service_at_locations", per_page=500).json()["contents"]
    }
    assert str(walkers.uuid) not in ids_of(client, "/organizations")
