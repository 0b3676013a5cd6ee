from django.urls import path

from . import api, views

app_name = "insights"

urlpatterns = [
    path("insights/gaps/", views.gaps, name="gaps"),
    path("insights/map/", views.area_map, name="map"),
    path("insights/trends/", views.trends, name="trends"),
    path("insights/report/", views.report, name="report"),
    path("api/insights/gaps", api.gaps, name="api_gaps"),
]
