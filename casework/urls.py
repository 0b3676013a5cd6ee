from django.urls import path

from . import views

app_name = "casework"

person = "support/people/<uuid:reference>/"

urlpatterns = [
    path(f"{person}wellbeing/", views.wellbeing, name="wellbeing"),
]
