from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("new/", views.event_create, name="event-create"),
    path("feed.ics", views.public_feed, name="feed"),
    path("reports/", views.reports, name="reports"),
    path("history/", views.history, name="history"),
    path("<int:pk>/", views.event_detail, name="event-detail"),
    path("<int:pk>/event.ics", views.event_ics, name="event-ics"),
    path("<int:pk>/manage/", views.event_manage, name="event-manage"),
    path("<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("<int:pk>/capacity/", views.event_capacity, name="event-capacity"),
    path("<int:pk>/cancel/", views.event_cancel, name="event-cancel"),
    path(
        "<int:pk>/sessions/<int:session_pk>/attendance/", views.attendance_list, name="attendance"
    ),
    path("<int:pk>/attendance/import/", views.attendance_import, name="attendance-import"),
    path("<int:pk>/certificates/", views.certificates, name="certificates"),
    path("<int:pk>/participants.pdf", views.participants_pdf, name="participants-pdf"),
    path("<int:pk>/name-cards.pdf", views.name_cards_pdf, name="name-cards-pdf"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration-cancel"),
    path("r/<str:token>/", views.registration_manage, name="registration-manage"),
    path("r/<str:token>/certificate.pdf", views.own_certificate, name="own-certificate"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
]
