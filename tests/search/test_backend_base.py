"""What the base class gives every backend: optional methods behind flags, and the trace."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from search import selectors
from search.backends import BaseSearchBackend
from search.backends.base import EngineCall


class Bare(BaseSearchBackend):
    """A backend that implements nothing optional."""

    name = "bare"


class Traced(BaseSearchBackend):
    """A backend whose one engine read goes through the base's engine call."""

    name = "traced"
    supports_trace = True

    def read(self, *words, upper=False):
        return self._engine_call("read", self._engine_read, *words, upper=upper)

    @staticmethod
    def _engine_read(*words, upper=False):
        text = " ".join(words)
        return text.upper() if upper else text


def test_optional_methods_are_off_unless_a_backend_claims_them():
    assert BaseSearchBackend.supports_title_suggestions is False
    assert BaseSearchBackend.supports_trace is False


def test_an_optional_method_not_claimed_names_its_flag():
    backend = Bare()
    with pytest.raises(NotImplementedError, match=r"Bare does not implement suggest_titles\(\)"):
        backend.suggest_titles("choir")
    with (
        pytest.raises(NotImplementedError, match="check supports_trace first"),
        backend.trace(lambda call: None),
    ):
        pass


def test_title_suggestions_without_the_capability_are_none(monkeypatch):
    monkeypatch.setattr(selectors, "get_backend", Bare)
    assert selectors.title_suggestions("choir") == []


def test_a_trace_reports_the_engine_call_and_its_replay_makes_it_again():
    backend = Traced()
    calls = []
    with backend.trace(calls.append):
        assert backend.read("knit", "natter", upper=True) == "KNIT NATTER"
    (call,) = calls
    assert call.name == "read"
    assert call.args == ("knit", "natter") and call.kwargs == {"upper": True}
    assert call.replay() == "KNIT NATTER"
    assert backend.read("again") == "again"
    assert len(calls) == 1


def test_an_engine_call_is_a_plain_record():
    call = EngineCall("join", "-".join, (["a", "b"],))
    assert call.replay() == "a-b"
    assert call.kwargs == {}


def test_a_cluster_backend_says_which_engine_call_it_lacks():
    import contextlib

    from search.backends.cluster import ClusterSearchBackend
    from search.query import DirectoryQuery

    class Bare(ClusterSearchBackend):
        product = "Bare"
        setting_prefix = "BARE"

    class Half(Bare):
        @contextlib.contextmanager
        def _errors(self, doing):
            yield

    with pytest.raises(NotImplementedError, match=r"Bare must implement _errors\(doing\)"):
        Bare(url="http://127.0.0.1:9").search(DirectoryQuery())
    with pytest.raises(NotImplementedError, match=r"Half must implement _search_call\(body\)"):
        Half(url="http://127.0.0.1:9").search(DirectoryQuery())
    with pytest.raises(ImproperlyConfigured, match="BARE_URL"):
        Bare(url="")
