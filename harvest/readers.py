"""Where harvested records come from: a JSON file, an ndjson file or a feed on the web.

Each reader yields `Item`s one at a time, never the whole feed, so memory stays flat however
big the feed is (JSON files are parsed as a stream by ijson). A record that cannot even be
read (a line of bad JSON, an item the feed would not give) is yielded as an `Item` with an
`error`, so that the run reports it and goes on; a feed that cannot be read at all raises
`FeedError` with a message for the moderator.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import ijson
import orjson
import urllib3

# One answer from a feed may be at most this big: a page of 50 full services is well under.
MAX_RESPONSE_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 20
PER_PAGE = 50
MAX_PAGES = 100_000
MAX_REDIRECTS = 3
USER_AGENT = "CommonGround-harvester/1 (+https://github.com/common-ground)"


class FeedError(Exception):
    """The feed as a whole cannot be read; `message` says why in plain English."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Item:
    """One record as the feed gave it, or why it could not be read."""

    position: int
    data: dict | None = None
    error: str = ""
    source_id: str = ""


# Files --------------------------------------------------------------------------------------


def _json_prefix(handle) -> str:
    """Where the service records are in a JSON document: a list of them (`item`), a Page
    object (`contents.item`), an export's {"services": [...]} or a single service (``)."""
    try:
        for prefix, event, value in ijson.parse(handle):
            if prefix == "" and event == "start_array":
                return "item"
            if prefix == "" and event == "map_key":
                if value == "contents":
                    return "contents.item"
                if value == "services":
                    return "services.item"
                if value in ("id", "name", "status"):
                    return ""
    except ijson.JSONError as exc:
        raise FeedError(f"The file is not valid JSON: {_short(exc)}") from None
    raise FeedError("The file holds no services: expected a list of services or a page of them.")


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else exc.__class__.__name__


def read_json_file(path: str | Path) -> Iterator[Item]:
    path = Path(path)
    if path.suffix.lower() in (".ndjson", ".jsonl"):
        yield from read_ndjson_file(path)
        return
    with open(path, "rb") as handle:
        prefix = _json_prefix(handle)
        handle.seek(0)
        position = 0
        try:
            for record in ijson.items(handle, prefix, use_float=True):
                position += 1
                yield _item(position, record)
        except ijson.JSONError as exc:
            read = "no record was" if not position else (
                "the record before it was" if position == 1 else
                f"the {position} records before it were"
            )  # fmt: skip
            raise FeedError(
                f"The file is not valid JSON after record {position} ({_short(exc)}): {read} read."
            ) from None


def read_ndjson_file(path: str | Path) -> Iterator[Item]:
    with open(path, "rb") as handle:
        for position, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield Item(position, error=f"Line {position} is not valid JSON: {_short(exc)}")
                continue
            yield _item(position, record)


def _item(position: int, record) -> Item:
    if not isinstance(record, dict):
        return Item(position, error="The record is not a JSON object.")
    source_id = record.get("id")
    return Item(position, data=record, source_id=source_id if isinstance(source_id, str) else "")


# The web ------------------------------------------------------------------------------------


@dataclass
class Fetched:
    data: object
    milliseconds: int


class FeedClient:
    """GETs JSON from one feed's host, with a timeout, a size limit, and redirects followed
    only within that host (a feed that sends us elsewhere is reported, not followed)."""

    def __init__(self, root: str, *, pool: urllib3.PoolManager | None = None):
        parts = urlsplit(root)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FeedError(f"{root[:200]!r} is not a web address (http or https).")
        self.root = root if root.endswith("/") else f"{root}/"
        self.host = parts.netloc.lower()
        self.pool = pool or urllib3.PoolManager(
            retries=False,
            timeout=urllib3.Timeout(connect=TIMEOUT_SECONDS, read=TIMEOUT_SECONDS),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )

    def url(self, path: str, **query) -> str:
        url = urljoin(self.root, path)
        return f"{url}?{urlencode(query)}" if query else url

    def get(self, url: str) -> Fetched:
        started = time.monotonic()
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = self.pool.request(
                    "GET", url, redirect=False, preload_content=False, decode_content=True
                )
            except (OSError, urllib3.exceptions.HTTPError) as exc:
                raise FeedError(_network_error(url, exc)) from None
            try:
                if response.status in (301, 302, 303, 307, 308):
                    target = urljoin(url, response.headers.get("Location", ""))
                    if urlsplit(target).netloc.lower() != self.host:
                        raise FeedError(
                            f"{url} redirects to another site ({urlsplit(target).netloc}); "
                            "a feed is only read from its own address."
                        )
                    url = target
                    continue
                body = _read_limited(response, url)
            finally:
                response.release_conn()
            if response.status == 404:
                raise FeedError(f"{url} was not found (404).")
            if response.status >= 400:
                raise FeedError(f"{url} answered with an error ({response.status}).")
            content_type = response.headers.get("Content-Type", "")
            if "json" not in content_type.lower():
                raise FeedError(
                    f"{url} did not answer with JSON (it sent {content_type or 'no type'})."
                )
            try:
                data = orjson.loads(body)
            except orjson.JSONDecodeError as exc:
                raise FeedError(f"{url} sent malformed JSON: {_short(exc)}") from None
            return Fetched(data, int((time.monotonic() - started) * 1000))
        raise FeedError(f"{url} redirects more than {MAX_REDIRECTS} times.")


def _read_limited(response, url: str) -> bytes:
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > MAX_RESPONSE_BYTES:
        raise FeedError(_too_big(url))
    chunks, size = [], 0
    try:
        for chunk in response.stream(64 * 1024):
            size += len(chunk)
            if size > MAX_RESPONSE_BYTES:
                raise FeedError(_too_big(url))
            chunks.append(chunk)
    except (OSError, urllib3.exceptions.HTTPError) as exc:
        raise FeedError(_network_error(url, exc)) from None
    return b"".join(chunks)


def _too_big(url: str) -> str:
    return f"{url} sent more than {MAX_RESPONSE_BYTES // (1024 * 1024)} MB in one answer."


def _network_error(url: str, exc: Exception) -> str:
    text = str(exc).lower()
    # urllib3 files a refused connection under its timeouts: it is told apart first.
    if isinstance(exc, urllib3.exceptions.NewConnectionError) and "timed out" not in text:
        if isinstance(exc, urllib3.exceptions.NameResolutionError):
            return f"{url}: the site's name could not be found."
        return f"{url} could not be reached (the connection was refused)."
    if isinstance(exc, urllib3.exceptions.TimeoutError) or "timed out" in text:
        return f"{url} did not answer within {TIMEOUT_SECONDS} seconds."
    if isinstance(exc, urllib3.exceptions.NameResolutionError) or "resolve" in text:
        return f"{url}: the site's name could not be found."
    return f"{url} could not be reached ({exc.__class__.__name__})."


def read_feed(client: FeedClient, *, on_page=None) -> Iterator[Item]:
    """Every service of a feed: its /services pages, then each service whole from
    /services/{id} (a list item may be a brief). `on_page(total_items)` is told the feed's
    size once the first page says it."""
    position = 0
    page = 1
    total_pages = 1
    while page <= min(total_pages, MAX_PAGES):
        listing = client.get(client.url("services", page=page, per_page=PER_PAGE)).data
        if not isinstance(listing, dict) or not isinstance(listing.get("contents"), list):
            raise FeedError(
                f"Page {page} of {client.url('services')} is not a page of services "
                "(no 'contents' list)."
            )
        if page == 1:
            total_pages = _whole(listing.get("total_pages"), default=1)
            if on_page is not None:
                on_page(_whole(listing.get("total_items"), default=None))
        if not listing["contents"]:
            break
        for brief in listing["contents"]:
            position += 1
            brief_id = brief.get("id") if isinstance(brief, dict) else None
            if not isinstance(brief_id, str) or not brief_id.strip():
                yield Item(position, error="A service in the list has no id.")
                continue
            try:
                full = client.get(client.url(f"services/{brief_id.strip()}")).data
            except FeedError as exc:
                yield Item(position, error=exc.message, source_id=brief_id)
                continue
            yield _item(position, full)
        page += 1


def _whole(value, *, default):
    return (
        value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default
    )
