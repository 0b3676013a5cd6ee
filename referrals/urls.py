from django.urls import path

from . import views

app_name = "referrals"

person = "support/people/<uuid:reference>/referrals/"

urlpatterns = [
    path("referrals/answer/<str:token>/", views.group_answer, name="answer"),
    path("insights/referrals/", views.figures, name="figures"),
    path(f"{person}new/", views.refer, name="refer"),
    path(f"{person}<uuid:referral>/", views.referral_detail, name="detail"),
    path(f"{person}<uuid:referral>/gp-message.json", views.referral_gp_message, name="gp_message"),
]
