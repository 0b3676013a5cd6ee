import pytest
from django.core.exceptions import ImproperlyConfigured

from search.backends import BaseSearchBackend, get_backend, load_backend
from search.checks import check_search_backend


def test_misconfigured_backend_is_a_check_error(settings):
    settings.DIRECTORY_SEARCH = {"BACKEND": "search.backends.nowhere.Backend", "OPTIONS": {}}
    (error,) = check_search_backend()
    assert error.id == "search.E001"
    assert "could not be imported" in error.msg


def test_unreachable_elasticsearch_is_a_check_warning(settings):
    settings.DIRECTORY_SEARCH = {
        "BACKEND": "search.backends.elasticsearch.ElasticsearchSearchBackend",
        "OPTIONS": {"url": "http://127.0.0.1:9", "timeout": 1},
    }
    (warning,) = check_search_backend()
    assert warning.id == "search.W002"
    assert "not reachable" in warning.msg


def test_writable_embedded_index_passes_the_check(settings, tmp_path):
    settings.DIRECTORY_SEARCH = {
        "BACKEND": "search.backends.embedded.EmbeddedSearchBackend",
        "OPTIONS": {"path": str(tmp_path / "index")},
    }
    assert check_search_backend() == []
    assert get_backend().name == "embedded"


def test_loader_refuses_a_class_that_is_not_a_backend():
    with pytest.raises(ImproperlyConfigured, match="not a subclass"):
        load_backend("search.query.DirectoryQuery")


def test_unknown_option_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="OPTIONS"):
        load_backend("search.backends.embedded.EmbeddedSearchBackend", {"colour": "red"})


def test_base_backend_says_what_a_backend_must_implement():
    with pytest.raises(NotImplementedError, match="must implement search"):
        BaseSearchBackend().search(None)
