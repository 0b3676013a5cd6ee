"""Kiosk mode, under /kiosk/: anonymous. Each step, the suggestions and the printable list
have an address of their own (GET); forms post to them and are answered with a 303."""

from django.urls import path

from .views import kiosk

urlpatterns = [
    path("", kiosk.kiosk_start, name="kiosk"),
    path("step/<slug:step>/", kiosk.kiosk_step, name="kiosk_step"),
    path("suggestions/", kiosk.kiosk_results, name="kiosk_results"),
    path("print/", kiosk.kiosk_print, name="kiosk_print"),
    path("email/", kiosk.kiosk_email, name="kiosk_email"),
    path("still-here/", kiosk.kiosk_still_here, name="kiosk_still_here"),
    path("finish/", kiosk.kiosk_finish, name="kiosk_finish"),
]
