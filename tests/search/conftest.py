import pytest

# The contract's asserts live outside test modules: let pytest explain their failures too.
pytest.register_assert_rewrite("tests.search.contract")
