"""``/api/v1/``: every app's API under one router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from sasaeai.accounts.api import ObtainTokenView
from sasaeai.events.api import EventViewSet, RegistrationViewSet
from sasaeai.grants.api import GrantApplicationViewSet, GrantCallViewSet, GrantProgramViewSet
from sasaeai.members.api import (
    CorporationViewSet,
    CouncilViewSet,
    FacilityViewSet,
    MembershipEventViewSet,
    MembershipKpiView,
)
from sasaeai.networks.api import MunicipalityStatusView, NetworkKpiView, NetworkViewSet
from sasaeai.plan.api import PlanKpiView
from sasaeai.projects.api import ModelProjectKpiView, ModelProjectViewSet, ThemeViewSet
from sasaeai.proposals.api import ProposalViewSet
from sasaeai.regions.api import MunicipalityViewSet, PrefectureViewSet
from sasaeai.stockyard import api as stockyard
from sasaeai.surveys.api import SurveyKpiView, SurveyViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("prefectures", PrefectureViewSet, basename="prefecture")
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("corporations", CorporationViewSet, basename="corporation")
router.register("facilities", FacilityViewSet, basename="facility")
router.register("councils", CouncilViewSet, basename="council")
router.register("memberships", MembershipEventViewSet, basename="membership")
router.register("networks", NetworkViewSet, basename="network")
router.register("events", EventViewSet, basename="event")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("surveys", SurveyViewSet, basename="survey")
router.register("themes", ThemeViewSet, basename="theme")
router.register("model-projects", ModelProjectViewSet, basename="model-project")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("grant-programs", GrantProgramViewSet, basename="grant-program")
router.register("grant-calls", GrantCallViewSet, basename="grant-call")
router.register("grant-applications", GrantApplicationViewSet, basename="grant-application")
router.register("stockyard/locations", stockyard.LocationViewSet, basename="stockyard-location")
router.register("stockyard/items", stockyard.ItemViewSet, basename="stockyard-item")
router.register("stockyard/stock", stockyard.StockViewSet, basename="stockyard-stock")
router.register("stockyard/referrals", stockyard.ReferralViewSet, basename="stockyard-referral")
router.register("stockyard/drop-offs", stockyard.DropOffViewSet, basename="stockyard-drop-off")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("kpis/", PlanKpiView.as_view(), name="kpis"),
    path("kpis/membership/", MembershipKpiView.as_view(), name="kpi-membership"),
    path("kpis/networks/", NetworkKpiView.as_view(), name="kpi-networks"),
    path("kpis/survey/", SurveyKpiView.as_view(), name="kpi-survey"),
    path("kpis/model-projects/", ModelProjectKpiView.as_view(), name="kpi-model-projects"),
    path("municipality-status/", MunicipalityStatusView.as_view(), name="municipality-status"),
    path("", include(router.urls)),
]
