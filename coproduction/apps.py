from django.apps import AppConfig


class CoproductionConfig(AppConfig):
    name = "coproduction"
    verbose_name = "Coproduction"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Models are not loaded when this module is imported: the signals need them.
        from . import signals

        signals.connect()
