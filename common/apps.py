from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Common"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The cache table follows migrate; sign-in failures are counted from auth's signals.
        from . import signals, signin  # noqa: F401
