"""URL patterns of the stockyard's referrals pages (collected by urls.py)."""

urlpatterns: list = []
