"""Writes for the site as a whole."""

import logging

from django.conf import settings
from wagtail.models import Site

from common.site import site_host_and_port

logger = logging.getLogger(__name__)


def site_update_address(*, url: str | None = None) -> Site | None:
    """Point the default Wagtail Site at the host and port of SITE_URL (or `url`).

    Wagtail builds the full address of a page (in its notification e-mails, for one) from this
    record; left at the "localhost", port 80 that the first migration made, every such link
    points at the reader's own computer. Names the site WAGTAIL_SITE_NAME when it has no name.
    Changes nothing when it already matches.
    """
    hostname, port = site_host_and_port(url or settings.SITE_URL)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return site
    changed = []
    if not site.site_name:
        # The admin's dashboard is titled with it, else with the bare host name.
        site.site_name = settings.WAGTAIL_SITE_NAME
        changed.append("site_name")
    if (site.hostname, site.port) != (hostname, port):
        if Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
            logger.warning(
                "Another Wagtail Site already answers on %s:%s; its address is left as it is.",
                hostname,
                port,
            )
        else:
            site.hostname, site.port = hostname, port
            changed += ["hostname", "port"]
    if changed:
        site.save(update_fields=changed)
    return site
