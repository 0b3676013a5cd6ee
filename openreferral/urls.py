"""The Open Referral UK 3.0 feed, mounted at /openreferral/ (paths as the standard names them).

A slash after a path, or a doubled one before it (a base URL given with a slash, then joined to
"/services"), is taken as the same path: harvesters and validators join URLs both ways.
"""

from django.urls import re_path

from . import views

app_name = "openreferral"

ID = r"(?P<id>[^/]+)"


def endpoint(route: str, view, name: str):
    return re_path(rf"^(?:/)?{route}/?$", view, name=name)


urlpatterns = [
    re_path(r"^(?:/)?$", views.api_details, name="api_details"),
    endpoint("services", views.service_list, "services"),
    endpoint(f"services/{ID}", views.service_detail, "service"),
    endpoint("taxonomies", views.taxonomy_list, "taxonomies"),
    endpoint(f"taxonomies/{ID}", views.taxonomy_detail, "taxonomy"),
    endpoint("taxonomy_terms", views.taxonomy_term_list, "taxonomy_terms"),
    endpoint(f"taxonomy_terms/{ID}", views.taxonomy_term_detail, "taxonomy_term"),
    endpoint("organizations", views.organization_list, "organizations"),
    endpoint(f"organizations/{ID}", views.organization_detail, "organization"),
    endpoint("service_at_locations", views.service_at_location_list, "service_at_locations"),
    endpoint(f"service_at_locations/{ID}", views.service_at_location_detail, "service_at_location"),
    # Anything else under the feed is a JSON 404, with the CORS header, as the rest is.
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
