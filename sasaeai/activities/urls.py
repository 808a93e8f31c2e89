from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("m/<str:code>/", views.municipality_detail, name="municipality"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/hsds.zip", views.open_data_hsds, name="open-data-hsds"),
    path("open-data/activities.csv", views.open_data_csv, name="open-data-csv"),
    path("manage/", views.manage_list, name="manage"),
    path("manage/export.xlsx", views.manage_export, name="export"),
    path("manage/new/", views.activity_create, name="create"),
    path("manage/survey-check/", views.survey_cross_check, name="survey-check"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/submit/", views.activity_submit, name="submit"),
    path("<int:pk>/publish/", views.activity_publish, name="publish"),
    path("<int:pk>/send-back/", views.activity_send_back, name="send-back"),
    path("<int:pk>/withdraw/", views.activity_withdraw, name="withdraw"),
]
