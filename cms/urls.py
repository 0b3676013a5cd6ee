from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import admin_views
from .api import schema

urlpatterns = [
    # The search API first: Django tries patterns in order, and it is the busiest endpoint.
    path("", include("search.urls")),
    *admin_views.urlpatterns,
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("assets_directory.urls")),
    path("api/schema/", schema, name="api_schema"),
    path("", include("matching.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
