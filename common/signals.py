"""The shared cache's table is made by `migrate`, so a deployment needs no extra command."""

from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="common.createcachetable")
def create_cache_table(sender, app_config, using, verbosity=0, **kwargs):
    if app_config.label != "common":
        return
    # A no-op for caches that are not database caches, and for tables that exist.
    call_command("createcachetable", database=using, verbosity=0)
