"""URL patterns of the stockyard's public pages (collected by urls.py)."""

from django.urls import path

from .views import public

urlpatterns: list = [
    path("drop-offs/", public.drop_offs, name="drop-offs"),
]
