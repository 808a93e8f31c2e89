"""Every write of the stockyard, one function per use case, each in its own transaction
(``ledger`` holds the rules every movement of stock follows)."""

from .intake import LotData, create_campaign, issue_receipt, receive
from .ledger import StockError, keeps, quantity_of
from .moves import stocktake, transfer, write_off, write_off_expired
from .places import (
    manages,
    may_edit_catalogue,
    may_place_in,
    may_start_food_drive,
    save_item,
    save_location,
    set_minimums,
)
from .referrals import (
    HouseholdData,
    approve,
    cancel,
    check_limits,
    decline,
    hand_over,
    may_cancel,
    may_refer_for,
    refer,
    save_support_rule,
)

__all__ = [
    "HouseholdData", "LotData", "StockError", "approve", "cancel", "check_limits",
    "create_campaign", "decline", "hand_over", "issue_receipt", "keeps", "manages",
    "may_cancel", "may_edit_catalogue", "may_place_in", "may_refer_for", "may_start_food_drive",
    "quantity_of", "receive", "refer", "save_item", "save_location", "save_support_rule",
    "set_minimums", "stocktake",
    "transfer", "write_off", "write_off_expired",
]  # fmt: skip
