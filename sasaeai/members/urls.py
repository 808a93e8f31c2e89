from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.home, name="home"),
    path("corporations/", views.corporation_list, name="corporation-list"),
    path("corporations/new/", views.corporation_create, name="corporation-create"),
    path("corporations/<int:pk>/", views.corporation_detail, name="corporation-detail"),
    path("corporations/<int:pk>/edit/", views.corporation_edit, name="corporation-edit"),
    path("corporations/<int:pk>/close/", views.corporation_close, name="corporation-close"),
    path(
        "corporations/<int:pk>/membership/",
        views.corporation_membership,
        name="corporation-membership",
    ),
    path("corporations/<int:pk>/apply/", views.corporation_apply, name="corporation-apply"),
    path("corporations/<int:pk>/facilities/new/", views.facility_create, name="facility-create"),
    path("facilities/", views.facility_list, name="facility-list"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility-detail"),
    path("facilities/<int:pk>/edit/", views.facility_edit, name="facility-edit"),
    path("facilities/<int:pk>/close/", views.facility_close, name="facility-close"),
    path("memberships/<int:pk>/void/", views.membership_void, name="membership-void"),
    path("councils/", views.council_list, name="council-list"),
    path("councils/new/", views.council_create, name="council-create"),
    path("councils/<int:pk>/edit/", views.council_edit, name="council-edit"),
    path("councils/<int:pk>/membership/", views.council_membership, name="council-membership"),
    path("dues/", views.dues_list, name="dues-list"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_decide, name="application-decide"),
]
