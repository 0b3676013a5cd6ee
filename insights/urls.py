from django.urls import path

from . import api, views

app_name = "insights"

urlpatterns = [
    path("insights/gaps/", views.gaps, name="gaps"),
    path("api/insights/gaps", api.gaps, name="api_gaps"),
]
