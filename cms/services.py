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
    points at the reader's own computer. Changes nothing when it already matches.
    """
    hostname, port = site_host_and_port(url or settings.SITE_URL)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return site
    if Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        logger.warning(
            "Another Wagtail Site already answers on %s:%s; the default site is left as it is.",
            hostname,
            port,
        )
        return site
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    return site
