"""Leading project 緊急一時支援: food drives and the stockyard of food and daily goods.

Goods come in as *lots* (one item, one best-before or use-by date, one donation) and every
movement of a lot at a location is a dated row of the ledger (``Movement``): intake, picking for
a referral, its return, transfers, write-offs and stocktake differences. Stock on any date is
the sum of the ledger up to that date, never a typed figure. ``Balance`` keeps the current sum
per lot and location beside the ledger, in the same transaction, under a ``CHECK >= 0``: it is
the row that picking locks, so that two staff taking the last units of a lot at once never
take stock below zero.

A ``Referral`` (依頼) for a ``Household`` is made by council or corporation staff, approved by
the location's keeper (which picks the goods first-expiring-first-out), handed over, or
declined or cancelled (a cancellation puts the exact lots back). ``SupportRule`` rows are the
limits per household and period (the rescue-type rule of at most a set amount in kind), checked
on every referral.
"""

from .ledger import (
    OUT_KINDS,
    Balance,
    Donation,
    DonorKind,
    ExpiryKind,
    Lot,
    Movement,
    MovementKind,
    Stocktake,
    StocktakeLine,
)
from .places import (
    QUANTITY,
    Campaign,
    Category,
    Item,
    KeeperKind,
    Location,
    LocationKind,
    LocationQuerySet,
    MinimumStock,
)
from .referrals import (
    COUNTING,
    Household,
    Referral,
    ReferralLine,
    ReferralStatus,
    SupportRule,
    Urgency,
)

__all__ = [
    "COUNTING",
    "OUT_KINDS",
    "QUANTITY",
    "Balance",
    "Campaign",
    "Category",
    "Donation",
    "DonorKind",
    "ExpiryKind",
    "Household",
    "Item",
    "KeeperKind",
    "Location",
    "LocationKind",
    "LocationQuerySet",
    "Lot",
    "MinimumStock",
    "Movement",
    "MovementKind",
    "Referral",
    "ReferralLine",
    "ReferralStatus",
    "Stocktake",
    "StocktakeLine",
    "SupportRule",
    "Urgency",
]
