from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from sasaeai import mypage
from sasaeai.activities.sitemaps import SITEMAPS as ACTIVITIES_SITEMAPS
from sasaeai.casebook.sitemaps import sitemaps as CASEBOOK_SITEMAPS
from sasaeai.core import views as core_views
from sasaeai.core.access import PUBLIC
from sasaeai.core.api import json_not_found
from sasaeai.publishing import opendata
from sasaeai.publishing import pages as publishing_pages
from sasaeai.publishing.sitemaps import SITEMAPS as PUBLISHING_SITEMAPS
from sasaeai.stockyard.sitemaps import SITEMAPS as STOCKYARD_SITEMAPS

# sitemap.xml: one dict of every app's public pages.
SITEMAPS = {**PUBLISHING_SITEMAPS, **ACTIVITIES_SITEMAPS, **CASEBOOK_SITEMAPS, **STOCKYARD_SITEMAPS}

# The open-data page lists every app's published files.
for dataset in (
    opendata.Dataset(
        "activities-hsds",
        _("Community activities (HSDS 3.0 data package)"),
        _(
            "The published activities in the Open Referral Human Services Data Specification: "
            "organization, service, location, service_at_location and schedule tables with "
            "datapackage.json."
        ),
        "activities:open-data-hsds",
        format="HSDS 3.0 (ZIP)",
        media_type="application/zip",
    ),
    opendata.Dataset(
        "activities",
        _("Community activities"),
        _("The published activities in one table: what, where, when, for whom, contact."),
        "activities:open-data-csv",
    ),
    opendata.Dataset(
        "cases",
        _("Casebook"),
        _("The published cases: background, what was done, partners, costs, results."),
        "casebook:open-data-csv",
    ),
):
    opendata.register(dataset)

# The schema and its docs describe the public API surface; they hold no records.
SpectacularAPIView.sasaeai_access = PUBLIC
# The split view serves its script from the same URL (?script): no inline script for the CSP.
SpectacularSwaggerSplitView.sasaeai_access = PUBLIC

handler500 = "sasaeai.core.api.server_error"


class AdminLoginRedirect(RedirectView):
    """The admin's own login form asks for a password only: everyone signs in through
    allauth's, which asks for the second factor and is watched by django-axes."""

    sasaeai_access = PUBLIC
    pattern_name = "account_login"
    query_string = True


urlpatterns = [
    path("", include("sasaeai.publishing.urls")),
    path("", include("sasaeai.core.urls")),
    path("sitemap.xml", publishing_pages.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", core_views.healthz, name="healthz"),
    path("dashboard/", mypage.mypage, name="mypage"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("sasaeai.accounts.urls")),
    path("members/io/", include("sasaeai.members.io_urls")),
    path("members/", include("sasaeai.members.urls")),
    path("networks/", include("sasaeai.networks.urls")),
    path("events/", include("sasaeai.events.urls")),
    path("surveys/", include("sasaeai.surveys.urls")),
    path("projects/", include("sasaeai.projects.urls")),
    path("grants/", include("sasaeai.grants.urls")),
    path("proposals/", include("sasaeai.proposals.urls")),
    path("activities/", include("sasaeai.activities.urls")),
    path("cases/", include("sasaeai.casebook.urls")),
    path("stockyard/", include("sasaeai.stockyard.urls")),
    path("plan/", include("sasaeai.plan.urls")),
    path("personal-data/", include("sasaeai.privacy.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(("sasaeai.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/", json_not_found),
    path("admin/login/", AdminLoginRedirect.as_view(), name="admin-login"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
