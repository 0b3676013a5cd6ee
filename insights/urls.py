from django.urls import path

from . import api, views

app_name = "insights"

urlpatterns = [
    path("insights/gaps/", views.gaps, name="gaps"),
    path("insights/map/", views.area_map, name="map"),
    path("insights/trends/", views.trends, name="trends"),
    path("insights/report/", views.report, name="report"),
    path("insights/england/", views.england, name="england"),
    path("insights/england/<int:pk>/progress/", views.england_progress, name="england_progress"),
    path("insights/england/<int:pk>/gaps.csv", views.england_csv, name="england_csv"),
    path("api/insights/gaps", api.gaps, name="api_gaps"),
]
