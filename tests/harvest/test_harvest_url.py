"""Harvesting a feed on the web: its pages and items, and every way a feed can go wrong."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assets_directory.models import Activity
from harvest import readers, services
from harvest.models import FeedSource, HarvestRun
from harvest.readers import FeedClient, FeedError

from .conftest import service

pytestmark = pytest.mark.django_db

FIRST = service()
SECOND = service(id="0d9f5f53-0d3a-4b8e-9a43-6a5a7c1b0002", name="Tai chi")


class Feed:
    """A tiny feed server: `routes` maps a path (with its query) to (status, headers, body)."""

    def __init__(self):
        self.routes = {}
        self.delay = 0
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        # A client that gave up (the timeout test) is not an error worth printing.
        self.server.handle_error = lambda request, address: None
        self.root = f"http://127.0.0.1:{self.server.server_port}/feed/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self):
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                time.sleep(feed.delay)
                status, headers, body = feed.routes.get(
                    self.path, (404, {"Content-Type": "application/json"}, b'{"error": "no"}')
                )
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def json(self, path, data, status=200):
        body = json.dumps(data).encode()
        self.routes[path] = (status, {"Content-Type": "application/json"}, body)

    def publish(self, services_, per_page=50):
        self.json("/feed/", {"version": "HSDS-UK-3.0"})
        pages = [services_[i : i + per_page] for i in range(0, len(services_), per_page)] or [[]]
        for number, contents in enumerate(pages, start=1):
            self.json(
                f"/feed/services?page={number}&per_page=50",
                {
                    "total_items": len(services_),
                    "total_pages": len(pages),
                    "page_number": number,
                    "size": len(contents),
                    "contents": [{"id": s["id"], "name": s.get("name")} for s in contents],
                },
            )
        for record in services_:
            self.json(f"/feed/services/{record['id']}", record)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feed():
    server = Feed()
    yield server
    server.close()


def harvest_from(feed, directory, name="Over the river"):
    source = FeedSource.objects.create(name=name, url=feed.root)
    run = services.harvest_run_create(source=source, origin=feed.root)
    return services.harvest_url(run=run)


def test_a_feed_is_walked_page_by_page_and_item_by_item(feed, directory, monkeypatch):
    monkeypatch.setattr(readers, "PER_PAGE", 50)
    feed.publish([FIRST, SECOND])
    run = harvest_from(feed, directory)
    assert run.state == HarvestRun.State.FINISHED
    assert (run.expected, run.created, run.skipped) == (2, 2, 0)
    assert Activity.objects.filter(title__in=["Chair yoga", "Tai chi"]).count() == 2
    source = run.source
    source.refresh_from_db()
    assert source.reachable and source.valid
    assert source.response_ms is not None and source.harvested_at is not None


def test_an_item_the_feed_will_not_give_is_reported_and_the_rest_imported(feed, directory):
    feed.publish([FIRST, SECOND])
    del feed.routes[f"/feed/services/{SECOND['id']}"]
    run = harvest_from(feed, directory)
    assert (run.created, run.skipped) == (1, 1)
    (problem,) = run.problems.all()
    assert problem.source_id == SECOND["id"] and "not found (404)" in problem.reason
    run.source.refresh_from_db()
    assert run.source.valid is False


def test_an_organisation_given_only_by_id_is_fetched_from_the_feed(feed, directory):
    record = service()
    organisation = record.pop("organization")
    record["organization_id"] = organisation["id"]
    feed.publish([record])
    feed.json(f"/feed/organizations/{organisation['id']}", organisation)
    harvest_from(feed, directory)
    assert Activity.objects.get(title="Chair yoga").get_parent().title == "Balham Movers"


def test_a_redirect_to_another_site_is_refused(feed, directory):
    feed.routes["/feed/"] = (302, {"Location": "http://elsewhere.example/feed/"}, b"")
    run = harvest_from(feed, directory)
    assert run.state == HarvestRun.State.FAILED
    assert "redirects to another site (elsewhere.example)" in run.error
    run.source.refresh_from_db()
    assert run.source.reachable is False


def test_a_redirect_within_the_feed_is_followed(feed, directory):
    feed.publish([FIRST])
    feed.routes["/feed/"] = (301, {"Location": "/feed/moved"}, b"")
    feed.json("/feed/moved", {"version": "HSDS-UK-3.0"})
    run = harvest_from(feed, directory)
    assert run.state == HarvestRun.State.FINISHED and run.created == 1


def test_an_answer_that_is_not_json_is_reported(feed, directory):
    feed.routes["/feed/"] = (200, {"Content-Type": "text/html"}, b"<html>Sign in</html>")
    run = harvest_from(feed, directory)
    assert run.state == HarvestRun.State.FAILED
    assert "did not answer with JSON (it sent text/html)" in run.error


def test_malformed_json_is_reported(feed, directory):
    feed.routes["/feed/"] = (200, {"Content-Type": "application/json"}, b'{"version": ')
    run = harvest_from(feed, directory)
    assert "malformed JSON" in run.error


def test_a_list_that_is_not_a_page_of_services_is_reported(feed, directory):
    feed.json("/feed/", {"version": "HSDS-UK-3.0"})
    feed.json("/feed/services?page=1&per_page=50", [FIRST])
    run = harvest_from(feed, directory)
    assert run.state == HarvestRun.State.FAILED
    assert "not a page of services" in run.error


def test_an_oversize_answer_is_refused(feed, directory, monkeypatch):
    monkeypatch.setattr(readers, "MAX_RESPONSE_BYTES", 100)
    feed.json("/feed/", {"version": "HSDS-UK-3.0", "padding": "x" * 500})
    run = harvest_from(feed, directory)
    assert "more than" in run.error and "in one answer" in run.error


def test_a_feed_that_does_not_answer_in_time_is_reported(feed, directory, monkeypatch):
    monkeypatch.setattr(readers, "TIMEOUT_SECONDS", 0.2)
    feed.delay = 1
    feed.json("/feed/", {"version": "HSDS-UK-3.0"})
    run = harvest_from(feed, directory)
    assert run.state == HarvestRun.State.FAILED
    assert "did not answer within" in run.error


def test_an_unreachable_feed_is_reported(directory):
    source = FeedSource.objects.create(name="Gone", url="http://127.0.0.1:9/feed/")
    run = services.harvest_url(run=services.harvest_run_create(source=source, origin=source.url))
    assert run.state == HarvestRun.State.FAILED
    assert "could not be reached" in run.error


@pytest.mark.parametrize("address", ["ftp://example.org/feed", "not a url", "file:///etc/passwd"])
def test_only_web_addresses_are_read(address):
    with pytest.raises(FeedError, match="not a web address"):
        FeedClient(address)
