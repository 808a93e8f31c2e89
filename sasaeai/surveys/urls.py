from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="survey-list"),
    path("import/", views.survey_import, name="survey-import"),
    path("<int:pk>/", views.survey_detail, name="survey-detail"),
    path("<int:pk>/definition.json", views.survey_json, name="survey-json"),
    path("<int:pk>/edit/", views.survey_edit, name="survey-edit"),
    path("<int:pk>/copy/", views.survey_copy, name="survey-copy"),
    path("<int:pk>/rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/close/", views.round_close, name="round-close"),
    path("rounds/<int:pk>/remind/", views.round_remind, name="round-remind"),
    path("rounds/<int:pk>/letters.pdf", views.round_letters, name="round-letters"),
    path("rounds/<int:pk>/results/", views.round_results, name="round-results"),
    path("rounds/<int:pk>/answers/", views.round_answers, name="round-answers"),
    path("a/<str:token>/", views.answer, name="answer"),
]
