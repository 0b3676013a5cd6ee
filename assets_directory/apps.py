from django.apps import AppConfig
from django.core.checks import register


class AssetsDirectoryConfig(AppConfig):
    name = "assets_directory"
    verbose_name = "Directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Receivers and checks import models: only once the registry is ready.
        from . import signals  # noqa: F401
        from .geocoding.checks import check_geocoder  # as above

        register(check_geocoder)
