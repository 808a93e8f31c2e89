from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("new/", views.proposal_create, name="create"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.evidence_remove,
        name="evidence-remove",
    ),
    path("<int:pk>/submit/", views.proposal_submit, name="submit"),
    path("<int:pk>/answer/", views.proposal_answer, name="answer"),
    path("<int:pk>/publish/", views.proposal_publish, name="publish"),
    path("<int:pk>/unpublish/", views.proposal_unpublish, name="unpublish"),
]
