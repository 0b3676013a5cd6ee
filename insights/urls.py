from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("insights/gaps/", views.gaps, name="gaps"),
]
