from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("corporations/", views.corporation_list, name="corporation-list"),
    path("corporations/<int:pk>/", views.corporation_detail, name="corporation-detail"),
]
