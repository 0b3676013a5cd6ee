from .services import site_update_address


def site_address_follows_settings(sender, **kwargs):
    # After every migrate (deployments run it on each release), so a new SITE_URL takes effect.
    site_update_address()
