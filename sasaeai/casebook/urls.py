from django.urls import path

from .views import public, staff

app_name = "casebook"
urlpatterns = [
    path("", public.case_list, name="case-list"),
    path("<int:pk>/", public.case_detail, name="case-detail"),
    path("<int:pk>/photos/<int:photo_pk>/", public.case_photo, name="photo"),
    path("casebook-<int:year>.pdf", public.casebook_pdf, name="casebook-pdf"),
    path("open-data/cases.csv", public.open_data_csv, name="open-data-csv"),
    path("manage/", staff.manage_list, name="manage-list"),
    path("manage/export.xlsx", staff.manage_export, name="manage-export"),
    path("manage/new/", staff.case_create, name="case-create"),
    path("manage/<int:pk>/", staff.case_manage, name="case-manage"),
    path("manage/<int:pk>/edit/", staff.case_edit, name="case-edit"),
    path("manage/<int:pk>/submit/", staff.case_submit, name="case-submit"),
    path("manage/<int:pk>/consent/", staff.consent_record, name="consent-record"),
    path("manage/<int:pk>/consent/withdraw/", staff.consent_withdraw, name="consent-withdraw"),
    path("manage/<int:pk>/publish/", staff.case_publish, name="case-publish"),
    path("manage/<int:pk>/unpublish/", staff.case_unpublish, name="case-unpublish"),
    path("manage/<int:pk>/photos/new/", staff.photo_add, name="photo-add"),
    path("manage/<int:pk>/photos/<int:photo_pk>/remove/", staff.photo_remove, name="photo-remove"),
]
