from django.conf import settings


def site(request):
    """Values every public template needs: the map tile layer and the site name."""
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
    }
