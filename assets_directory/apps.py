from django.apps import AppConfig


class AssetsDirectoryConfig(AppConfig):
    name = "assets_directory"
    verbose_name = "Directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core.checks import register

        from . import signals  # noqa: F401
        from .geocoding.checks import check_geocoder

        register(check_geocoder)
