from django.urls import path

from . import api

app_name = "matching"

urlpatterns = [
    path("api/match", api.match, name="api_match"),
    path("api/match/vocabulary", api.match_vocabulary, name="api_match_vocabulary"),
]
