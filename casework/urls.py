from django.urls import path

from . import views

app_name = "casework"

person = "support/people/<uuid:reference>/"

urlpatterns = [
    path(f"{person}wellbeing/", views.wellbeing, name="wellbeing"),
    path(f"{person}case/", views.case_page, name="case"),
    path("support/caseload/", views.caseload_list, name="caseload"),
]
