import copy
import json
from pathlib import Path

import pytest

from harvest import services

# Shipped copies of the public test data (fixtures/README.md says where from).
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MOCKS = FIXTURES / "oruk-validator"
HSDS_EXAMPLES = FIXTURES / "hsds-examples"


def service(**changes) -> dict:
    """A small, valid ORUK service with an organisation, a venue, a session and a term."""
    data = {
        "id": "0d9f5f53-0d3a-4b8e-9a43-6a5a7c1b0001",
        "name": "Chair yoga",
        "description": "Gentle yoga sitting down. Everyone welcome.",
        "status": "active",
        "email": "yoga@example.org",
        "url": "https://example.org/yoga",
        "minimum_age": 50,
        "organization": {
            "id": "0d9f5f53-0d3a-4b8e-9a43-6a5a7c1b0100",
            "name": "Balham Movers",
            "description": "Exercise for older people.",
            "organization_identifiers": [
                {"id": "x", "identifier_scheme": "GB-CHC", "identifier": "1100001"}
            ],
        },
        "schedules": [
            {"id": "s1", "freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", "closes_at": "11:00"}
        ],
        "service_at_locations": [
            {
                "id": "sal1",
                "location": {
                    "id": "0d9f5f53-0d3a-4b8e-9a43-6a5a7c1b0200",
                    "location_type": "physical",
                    "name": "Balham Library",
                    "latitude": 51.4433,
                    "longitude": -0.1525,
                    "addresses": [
                        {
                            "id": "a1",
                            "address_1": "16 Ramsden Road",
                            "city": "London",
                            "state_province": "",
                            "postal_code": "sw12 8qy",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "cost_options": [{"id": "c1", "amount": 2.5, "currency": "GBP"}],
        "attributes": [
            {
                "id": "t1",
                "taxonomy_term": {
                    "id": "term-exercise",
                    "name": "Keeping active",
                    "taxonomy": "Their taxonomy",
                },
            }
        ],
    }
    data.update(copy.deepcopy(changes))
    return data


def write_json(tmp_path, data, name="feed.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def harvest(directory, tmp_path):
    """Harvest a list of services (or a file) for a named source; returns the run."""

    def run(data=None, *, path=None, source="Neighbours"):
        feed = services.feed_source_get_or_create(name=source)
        if path is None:
            path = write_json(tmp_path, data)
        run = services.harvest_run_create(source=feed, origin=str(path))
        return services.harvest_file(run=run, path=path)

    return run
