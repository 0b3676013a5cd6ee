"""Rate limits hold across server processes: two processes, one limit.

Starts two real servers (`manage.py runserver`, separate processes, no threads shared) on one
temporary SQLite database with the embedded defaults, i.e. the shared database cache, and sends
requests to them in turn.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(port, body=b"{}", forwarded=None) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/match",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    if forwarded:
        request.add_header("X-Forwarded-For", forwarded)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    base = tmp_path_factory.mktemp("shared-limits")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
        "SEARCH_INDEX_DIR": str(base / "index"),
        "MATCH_API_RATE_LIMIT": str(LIMIT),
        "TRUSTED_PROXY_COUNT": "1",
        "DEBUG": "False",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CACHE_URL", None)  # the embedded default: the database cache
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading",
             f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        for port in ports:
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        yield ports
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def test_two_processes_share_one_limit(two_servers):
    first, second = two_servers
    answers = [
        _post(first if n % 2 else second, forwarded="198.51.100.1") for n in range(LIMIT * 2)
    ]
    # Every request within the limit is answered (400: the empty answers are refused), every
    # one after it is 429, whichever process it reached.
    assert answers == [400] * LIMIT + [429] * LIMIT, json.dumps(answers)


def test_visitors_behind_the_proxy_each_have_their_own_limit(two_servers):
    first, second = two_servers
    assert _post(first, forwarded="198.51.100.2") == 400
    assert _post(second, forwarded="198.51.100.3") == 400
    # A visitor cannot pick an address: only the last entry (the proxy's own) is read.
    spoofed = [_post(first, forwarded=f"203.0.113.{n}, 198.51.100.1") for n in range(3)]
    assert spoofed == [429, 429, 429]
