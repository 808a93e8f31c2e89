"""The project's URLs with the Pillar II and VI API registered as ``sasaeai/api_urls.py`` will
register them (the tests do not depend on that file being edited yet)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from sasaeai.projects.api import ModelProjectViewSet, ThemeViewSet
from sasaeai.proposals.api import ProposalViewSet
from sasaeai.urls import urlpatterns as project_urlpatterns

router = DefaultRouter()
router.include_root_view = False
router.register("themes", ThemeViewSet, basename="theme")
router.register("model-projects", ModelProjectViewSet, basename="model-project")
router.register("proposals", ProposalViewSet, basename="proposal")

urlpatterns = [
    path("api/v1/", include((router.urls, "api"), namespace="api-test")),
    *project_urlpatterns,
]
