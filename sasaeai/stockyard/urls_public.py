"""URL patterns of the stockyard's public pages (collected by urls.py)."""

urlpatterns: list = []
