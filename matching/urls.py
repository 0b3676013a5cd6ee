from django.urls import include, path

from . import api
from .views import network, people, plans, preferences

app_name = "matching"

person = "support/people/<uuid:reference>/"

urlpatterns = [
    path("api/match", api.match, name="api_match"),
    path("api/match/vocabulary", api.match_vocabulary, name="api_match_vocabulary"),
    path("sign-in/", people.SignInView.as_view(), name="sign_in"),
    path("support/", people.people_list, name="people"),
    path("support/people/new/", people.person_add, name="person_add"),
    path(person, people.person_detail, name="person"),
    path(f"{person}details/", people.person_edit, name="person_edit"),
    path(f"{person}consent/", people.consent_edit, name="consent"),
    path(f"{person}export.json", people.person_export_json, name="export_json"),
    path(f"{person}export/", people.person_export_print, name="export_print"),
    path(f"{person}erase/", people.person_erase_view, name="erase"),
    path(f"{person}network/", network.network_edit, name="network"),
    path(f"{person}network/add/", network.network_add_suggested, name="network_add_suggested"),
    path(f"{person}network/compare/", network.network_compare, name="network_compare"),
    path(f"{person}preferences/", preferences.preferences_edit, name="preferences"),
    path(f"{person}top-three/", preferences.top_three_edit, name="top_three"),
    path(f"{person}needs/", preferences.needs_edit, name="needs"),
    path(f"{person}about/", preferences.about_edit, name="about"),
    path(f"{person}suggestions/", plans.suggestions, name="suggestions"),
    path(f"{person}plans/<int:plan_id>/", plans.plan_detail, name="plan"),
    path(f"{person}plans/<int:plan_id>/email/", plans.plan_email_view, name="plan_email"),
    path(f"{person}follow-up/", plans.follow_up, name="follow_up"),
    path("support/teams/<slug:team_slug>/audit/", people.audit_log, name="audit_log"),
    path("insights/", people.insights, name="insights"),
    path("kiosk/", include("matching.kiosk_urls")),
]
