from django.apps import AppConfig


class OpenReferralConfig(AppConfig):
    """The directory published as an Open Referral UK 3.0 feed (read only)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "openreferral"
    verbose_name = "Open Referral feed"

    def ready(self):
        from . import signals  # noqa: F401
