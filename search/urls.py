from django.urls import path

from . import api, views, zero_result_views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("shortlist/", views.shortlist_page, name="shortlist"),
    path("shortlist/add/", views.shortlist_add, name="shortlist_add"),
    path("shortlist/remove/", views.shortlist_remove, name="shortlist_remove"),
    path("shortlist/clear/", views.shortlist_clear, name="shortlist_clear"),
    path("api/search", api.search_json, name="api_search"),
    path("api/search.geojson", api.search_geojson, name="api_search_geojson"),
    path("api/suggest", api.suggest_json, name="api_suggest"),
    path("insights/searches/", zero_result_views.zero_results_report, name="zero_results_report"),
]
