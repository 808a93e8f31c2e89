"""URL patterns of the stockyard's reports pages (collected by urls.py)."""

urlpatterns: list = []
