"""``/api/v1/``: every app's API under one router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from sasaeai.accounts.api import ObtainTokenView
from sasaeai.members.api import CorporationViewSet
from sasaeai.regions.api import MunicipalityViewSet, PrefectureViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("prefectures", PrefectureViewSet, basename="prefecture")
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("corporations", CorporationViewSet, basename="corporation")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("", include(router.urls)),
]
