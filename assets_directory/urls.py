from django.urls import path

from . import views

app_name = "assets_directory"

urlpatterns = [
    path("list-your-group/", views.register_group, name="register"),
    path("list-your-group/thank-you/", views.register_done, name="register_done"),
    path("list-your-group/claim/<uuid:uuid>/", views.claim_listing, name="claim"),
    path("activities/<uuid:uuid>/report/", views.report_problem, name="report"),
    path("activities/<uuid:uuid>/calendar.ics", views.activity_calendar, name="activity_calendar"),
    path(
        "organisations/<uuid:uuid>/calendar.ics",
        views.organisation_calendar,
        name="organisation_calendar",
    ),
    path("listing-check/<str:token>/", views.freshness, name="freshness"),
]
