from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import admin_views
from .api import schema
from .views import SignInView, SignOutView, ThrottledPasswordResetView

urlpatterns = [
    # The search API first: Django tries patterns in order, and it is the busiest endpoint.
    path("", include("search.urls")),
    # Before Wagtail's admin URLs, so that its "forgotten password" form is throttled.
    path(
        "admin/password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="password_reset_throttled",
    ),
    path("sign-out/", SignOutView.as_view(), name="sign_out"),
    # matching:sign_in's path, answered by the site-wide sign-in that knows every app's area.
    path("sign-in/", SignInView.as_view(), name="sign_in"),
    *admin_views.urlpatterns,
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("assets_directory.urls")),
    path("api/schema/", schema, name="api_schema"),
    path("", include("matching.urls")),
    path("", include("referrals.urls")),
    path("", include("casework.urls")),
    path("", include("insights.urls")),
    path("coproduction/", include("coproduction.urls")),
    path("openreferral/", include("openreferral.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
