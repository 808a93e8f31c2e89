"""URL patterns of the stockyard's stock pages (collected by urls.py)."""

from django.urls import path

from .views import stock

urlpatterns = [
    path("", stock.home, name="home"),
    path("locations/new/", stock.location_create, name="location-new"),
    path("locations/<int:pk>/", stock.location_detail, name="location"),
    path("locations/<int:pk>/edit/", stock.location_edit, name="location-edit"),
    path("locations/<int:pk>/minimums/", stock.location_minimums, name="location-minimums"),
    path("locations/<int:pk>/receive/", stock.donation_create, name="donation-new"),
    path("locations/<int:pk>/transfer/", stock.transfer, name="transfer"),
    path("locations/<int:pk>/write-off/", stock.write_off, name="write-off"),
    path(
        "locations/<int:pk>/write-off-expired/",
        stock.write_off_expired,
        name="write-off-expired",
    ),
    path("locations/<int:pk>/stocktake/", stock.stocktake, name="stocktake"),
    path("donations/<int:pk>/", stock.donation_detail, name="donation"),
    path("items/", stock.item_list, name="items"),
    path("items/new/", stock.item_create, name="item-new"),
    path("items/<int:pk>/edit/", stock.item_edit, name="item-edit"),
    path("food-drives/", stock.campaign_list, name="campaigns"),
    path("food-drives/new/", stock.campaign_create, name="campaign-new"),
    path("food-drives/<int:pk>/", stock.campaign_detail, name="campaign"),
]
