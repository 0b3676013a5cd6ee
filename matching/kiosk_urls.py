from django.urls import path

from .views import kiosk

urlpatterns = [
    path("", kiosk.kiosk_start, name="kiosk"),
]
