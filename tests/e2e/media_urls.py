"""The site's URLs with uploaded files served, for browser tests: the live server runs with
DEBUG off, where cms/urls.py leaves media to the web server. Used through the `media` fixture."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from cms.urls import urlpatterns as site_urlpatterns


def _media(request, path):
    # MEDIA_ROOT read at each request: a test points it at a directory of its own.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# Before the site's own, whose last pattern (Wagtail's pages) takes every path.
urlpatterns = [re_path(r"^media/(?P<path>.*)$", _media), *site_urlpatterns]
