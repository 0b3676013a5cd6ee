from django.urls import path

from . import api, views

app_name = "insights"

urlpatterns = [
    path("insights/gaps/", views.gaps, name="gaps"),
    path("insights/map/", views.area_map, name="map"),
    path("api/insights/gaps", api.gaps, name="api_gaps"),
]
