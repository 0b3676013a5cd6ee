from django.apps import AppConfig
from django.core.checks import register


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Directory search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Receivers and checks import models and backends: only once the registry is ready.
        from . import checks, signals  # noqa: F401

        register(checks.check_search_backend)
