from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("referrals/answer/<str:token>/", views.group_answer, name="answer"),
]
