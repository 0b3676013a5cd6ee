import gc
import importlib


def test_the_wsgi_module_freezes_what_start_up_loaded():
    gc.unfreeze()
    import cms.wsgi

    importlib.reload(cms.wsgi)
    try:
        assert gc.get_freeze_count() > 10_000
        assert callable(cms.wsgi.application)
    finally:
        gc.unfreeze()
