from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("language/", views.choose_language, name="choose-language"),
    path("pillars/<slug:slug>/", views.pillar_detail, name="pillar-detail"),
]
