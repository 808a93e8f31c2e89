"""URL patterns of the stockyard's stock pages (collected by urls.py)."""

urlpatterns: list = []
