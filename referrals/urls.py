from django.urls import path, re_path

from . import api, views

app_name = "referrals"

person = "support/people/<uuid:reference>/referrals/"

urlpatterns = [
    path("api/referrals", api.referrals, name="api_referrals"),
    re_path(r"^api/referrals/(?P<reference>[^/]+)$", api.referral, name="api_referral"),
    re_path(r"^api/referrals/(?P<rest>.*)$", api.not_found),
    path("referrals/answer/<str:token>/", views.group_answer, name="answer"),
    path("insights/referrals/", views.figures, name="figures"),
    path("support/teams/<slug:team_slug>/api-keys/", views.api_keys, name="api_keys"),
    path(f"{person}new/", views.refer, name="refer"),
    path("support/refer/<int:activity_id>/", views.refer_choose_person, name="refer_choose"),
    path(f"{person}<uuid:referral>/", views.referral_detail, name="detail"),
    path(f"{person}<uuid:referral>/gp-message.json", views.referral_gp_message, name="gp_message"),
]
