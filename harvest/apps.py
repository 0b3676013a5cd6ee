from django.apps import AppConfig


class HarvestConfig(AppConfig):
    """Other directories' Open Referral feeds, read into this one with their provenance."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "harvest"
    verbose_name = "Harvested feeds"
