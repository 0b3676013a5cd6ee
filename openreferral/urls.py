"""The Open Referral UK 3.0 feed, mounted at /openreferral/ (paths as the standard names them,
without a trailing slash)."""

from django.urls import path, re_path

from . import views

app_name = "openreferral"

urlpatterns = [
    path("", views.api_details, name="api_details"),
    path("services", views.service_list, name="services"),
    path("services/<str:id>", views.service_detail, name="service"),
    path("taxonomies", views.taxonomy_list, name="taxonomies"),
    path("taxonomies/<str:id>", views.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", views.taxonomy_term_list, name="taxonomy_terms"),
    path("taxonomy_terms/<str:id>", views.taxonomy_term_detail, name="taxonomy_term"),
    path("organizations", views.organization_list, name="organizations"),
    path("organizations/<str:id>", views.organization_detail, name="organization"),
    path("service_at_locations", views.service_at_location_list, name="service_at_locations"),
    path(
        "service_at_locations/<str:id>",
        views.service_at_location_detail,
        name="service_at_location",
    ),
    # Anything else under the feed is a JSON 404, with the CORS header, as the rest is.
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
