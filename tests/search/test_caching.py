from search.caching import remember


def test_a_full_cache_is_emptied_before_the_new_entry_is_kept():
    cache = {}
    for n in range(3):
        assert remember(cache, n, f"value {n}", limit=3) == f"value {n}"
    assert cache == {0: "value 0", 1: "value 1", 2: "value 2"}
    remember(cache, 3, "value 3", limit=3)
    assert cache == {3: "value 3"}
