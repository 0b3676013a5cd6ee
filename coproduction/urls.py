from django.urls import path

from .views import asks as asks_views
from .views import commissioning, documents, leaders, network, readiness
from .views import core as views
from .views import links as links_views

app_name = "coproduction"

urlpatterns = [
    path("", views.home, name="home"),
    path("matrix/", views.matrix, name="matrix"),
    path("commissioning/", commissioning.commissioning, name="commissioning"),
    path("network/", network.network_map_view, name="network"),
    path("teams/<slug:team_slug>/asks/new/", views.ask_add, name="ask_add"),
    path("groups/<int:organisation_id>/profile/", views.profile_edit, name="profile"),
    path(
        "groups/<int:organisation_id>/profile/verify/",
        views.profile_verify,
        name="profile_verify",
    ),
    path("asks/<int:pk>/", views.ask_detail, name="ask"),
    path("asks/<int:pk>/propose/", views.ask_propose, name="ask_propose"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership"),
    path("partnerships/<int:pk>/move/", views.partnership_move_view, name="partnership_move"),
    path("partnerships/<int:pk>/accept/", views.partnership_accept_view, name="partnership_accept"),
    path(
        "partnerships/<int:pk>/delivery/", views.partnership_delivery, name="partnership_delivery"
    ),
    path("partnerships/<int:pk>/review/", views.partnership_review, name="partnership_review"),
    path(
        "partnerships/<int:pk>/reviews/<int:review_id>/survey/",
        views.review_survey,
        name="review_survey",
    ),
    path("partnerships/<int:pk>/documents/", documents.document_upload, name="document_upload"),
    path(
        "partnerships/<int:pk>/documents/<int:document_id>/",
        documents.document_download,
        name="document",
    ),
    path(
        "partnerships/<int:pk>/documents/<int:document_id>/delete/",
        documents.document_delete,
        name="document_delete",
    ),
    path(
        "partnerships/<int:pk>/evidence/",
        commissioning.partnership_evidence,
        name="partnership_evidence",
    ),
]

# Links between groups (views/links.py) and changing an ask (views/asks.py).
urlpatterns += [
    path("groups/<int:organisation_id>/links/", links_views.links, name="links"),
    path(
        "groups/<int:organisation_id>/links/<int:link_id>/end/",
        links_views.link_end_view,
        name="link_end",
    ),
    path("asks/<int:pk>/edit/", asks_views.ask_edit, name="ask_edit"),
    # Leaders and connectors (with their consent), and readiness.
    path("groups/<int:organisation_id>/leaders/", leaders.leaders, name="leaders"),
    path(
        "groups/<int:organisation_id>/leaders/<int:pk>/",
        leaders.leader_edit,
        name="leader_edit",
    ),
    path(
        "groups/<int:organisation_id>/leaders/<int:pk>/consent/",
        leaders.leader_consent,
        name="leader_consent",
    ),
    path(
        "groups/<int:organisation_id>/leaders/<int:pk>/withdraw/",
        leaders.leader_withdraw,
        name="leader_withdraw",
    ),
    path(
        "groups/<int:organisation_id>/leaders/<int:pk>/delete/",
        leaders.leader_remove,
        name="leader_delete",
    ),
    path("leaders/<int:pk>/contact/", leaders.contact, name="leader_contact"),
    path("groups/<int:organisation_id>/readiness/", readiness.readiness, name="readiness"),
    path("readiness/waiting/", readiness.waiting, name="readiness_waiting"),
    path("readiness/<int:pk>/", readiness.readiness_detail, name="readiness_detail"),
    path("readiness/<int:pk>/review/", readiness.review, name="readiness_review"),
]
