"""Kiosk mode, under /kiosk/: anonymous, and every step after the first is a POST."""

from django.urls import path

from .views import kiosk

urlpatterns = [
    path("", kiosk.kiosk_start, name="kiosk"),
    path("step/<slug:step>/", kiosk.kiosk_step, name="kiosk_step"),
    path("suggestions/", kiosk.kiosk_results, name="kiosk_results"),
    path("print/", kiosk.kiosk_print, name="kiosk_print"),
    path("email/", kiosk.kiosk_email, name="kiosk_email"),
    path("finish/", kiosk.kiosk_finish, name="kiosk_finish"),
]
