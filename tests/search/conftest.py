import pytest

# The contract's asserts live outside test modules: let pytest explain their failures too.
pytest.register_assert_rewrite("tests.search.contract")


@pytest.fixture(scope="session")
def elasticsearch_emulator():
    """osmem-server (an emulator, not Elasticsearch) behind the media-type shim, for the
    session; see tests/search/emulator.py. Skips only when the package is not installed."""
    pytest.importorskip(
        "osmem_server", reason="osmem-server (requirements-dev.txt) is not installed"
    )
    from tests.search.emulator import ElasticsearchEmulator

    with ElasticsearchEmulator() as emulator:
        yield emulator
