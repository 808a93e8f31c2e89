"""The stock pages: locations and their stock on any date, the catalogue, goods in, moving
stock out and around, stocktakes and food drives. Every staff member of the prefecture reads
locations, stock and food drives; writes to a location are for its keepers (others: 404), its
details for the center and the council of its municipality, the catalogue for the center."""

from .drives import campaign_create, campaign_detail, campaign_list
from .goods import (
    donation_create,
    donation_detail,
    stocktake,
    transfer,
    write_off,
    write_off_expired,
)
from .places import (
    home,
    item_create,
    item_edit,
    item_list,
    location_create,
    location_detail,
    location_edit,
    location_minimums,
)

__all__ = [
    "campaign_create", "campaign_detail", "campaign_list", "donation_create", "donation_detail",
    "home", "item_create", "item_edit", "item_list", "location_create", "location_detail",
    "location_edit", "location_minimums", "stocktake", "transfer", "write_off",
    "write_off_expired",
]  # fmt: skip
