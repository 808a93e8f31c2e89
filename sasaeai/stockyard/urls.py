"""``/stockyard/``: the app's pages, one module of patterns per part of the work."""

from . import urls_public, urls_referrals, urls_reports, urls_stock

app_name = "stockyard"

urlpatterns = [
    *urls_stock.urlpatterns,
    *urls_referrals.urlpatterns,
    *urls_reports.urlpatterns,
    *urls_public.urlpatterns,
]
