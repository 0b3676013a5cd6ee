from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The receiver imports models: only once the registry is ready.
        from .signals import site_address_follows_settings

        post_migrate.connect(site_address_follows_settings, sender=self)
