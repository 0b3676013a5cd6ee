import gc
import importlib


def test_the_wsgi_module_freezes_what_start_up_loaded_and_collects_less_often():
    gc.unfreeze()
    before = gc.get_threshold()
    import cms.wsgi
    from cms.serving import YOUNG_THRESHOLD

    importlib.reload(cms.wsgi)
    try:
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD > before[0]
        assert callable(cms.wsgi.application)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
