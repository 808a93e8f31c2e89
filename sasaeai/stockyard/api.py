"""``/api/v1/stockyard/``: locations, the catalogue, stock by location on a date, referrals and
their status; ``/api/v1/stockyard/drop-offs/`` for everyone.

Who sees what follows the pages (``queries``): staff of a prefecture see its locations,
catalogue and stock; a referral and its household are seen only by those handling the case
(the referring corporation or council, the keepers of its location, the center). Anonymous
callers get only the public drop-off points (address and opening hours: no stock, no people).

Every write goes through ``actions``; the answers are

* 400: the body or a parameter is wrong (the field named), or the action refused the input
  (``{"code", "detail", "messages"}``, each message naming its line and field);
* 403: the caller sees the referral but may not make that change (``approve``, ``decline``
  and ``hand-over`` are for the location's keepers, ``cancel`` also for the referrer);
* 404: no such referral among those the caller handles (not allowed and not found alike);
* 409: the request is right but the records refuse it now: a support limit would be broken
  (code ``limit``), the referral is no longer in a state that allows it (``status``), or the
  location lacks the stock on that day (``short``). Nothing is written on any refusal.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from sasaeai.accounts.scope import scope_of
from sasaeai.core.access import AUTHENTICATED, PUBLIC
from sasaeai.core.audit import record_access, record_accesses
from sasaeai.core.schema import error

from . import actions, queries
from .models import Location, Movement, MovementKind, Referral
from .serializers import (
    CancelSerializer,
    DropOffSerializer,
    ItemSerializer,
    LocationSerializer,
    ReasonSerializer,
    ReferralCreateSerializer,
    ReferralSerializer,
    StatusChangeSerializer,
    StockRowSerializer,
)
from .stock import stock_on

# The action's codes that mean "right request, but the records say no now".
CONFLICT_CODES = frozenset({"limit", "status", "short", "below_zero"})

REFUSED = OpenApiResponse(
    inline_serializer(
        "StockyardRefused",
        {
            "code": serializers.CharField(help_text="the rule, e.g. limit, status, short"),
            "detail": serializers.CharField(),
            "messages": serializers.ListField(child=serializers.CharField()),
        },
    ),
    description="Refused with the reasons; nothing was written.",
)
REFUSALS = {
    400: error(
        "The body is wrong (messages by field), or the action refused it "
        "({code, detail, messages}); nothing was written."
    ),
    403: OpenApiResponse(description="Visible, but not yours to change."),
    404: OpenApiResponse(description="No such referral among those you handle."),
    409: REFUSED,
}


def _refused(error: actions.StockError) -> Response:
    code = getattr(error, "code", None) or "invalid"
    return Response(
        {"code": code, "detail": " ".join(error.messages), "messages": error.messages},
        status=status.HTTP_409_CONFLICT if code in CONFLICT_CODES else status.HTTP_400_BAD_REQUEST,
    )


def _kept(user) -> frozenset[int]:
    return frozenset(Location.objects.kept_by(user).values_list("pk", flat=True))


def _id_parameter(params, name: str) -> int | None:
    text = params.get(name)
    if text in (None, ""):
        return None
    if not text.isdigit():
        raise ValidationError({name: [_("Expected a number (an id).")]})
    return int(text)


# Locations, items, stock -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("municipality", str, description="JIS code, e.g. 332038"),
            OpenApiParameter("kept", bool, description="only the locations you keep"),
        ]
    )
)
class LocationViewSet(viewsets.ReadOnlyModelViewSet):
    """The prefecture's locations (stockyards, council offices, drop-off points), with whether
    the caller keeps each."""

    serializer_class = LocationSerializer
    sasaeai_access = AUTHENTICATED

    def get_queryset(self):
        locations = (
            queries.locations_for(self.request.user)
            .select_related("municipality")
            .order_by("municipality_id", "name", "pk")
        )
        if self.action == "list":
            params = self.request.query_params
            if params.get("municipality"):
                locations = locations.filter(municipality_id=params["municipality"])
            if params.get("kept") in ("1", "true", "True"):
                locations = locations.filter(pk__in=Location.objects.kept_by(self.request.user))
        return locations

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "kept": _kept(self.request.user)}


class ItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The prefecture's catalogue: unit, whole units or not, whether it expires, value."""

    serializer_class = ItemSerializer
    sasaeai_access = AUTHENTICATED

    def get_queryset(self):
        return queries.items_for(self.request.user).order_by("category", "name", "pk")


class StockQuerySerializer(serializers.Serializer):
    location = serializers.IntegerField(required=False, min_value=1)
    item = serializers.IntegerField(required=False, min_value=1)
    as_of = serializers.DateField(required=False)


class StockViewSet(viewsets.GenericViewSet):
    """Stock per lot at the end of a day (default today), computed from the ledger: at one
    location, or at every location the caller sees."""

    serializer_class = StockRowSerializer
    sasaeai_access = AUTHENTICATED

    @extend_schema(
        parameters=[
            OpenApiParameter("location", int, description="one location (default: all)"),
            OpenApiParameter("item", int, description="one item"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="default: today"),
        ],
        responses={
            200: StockRowSerializer(many=True),
            400: OpenApiResponse(description="A parameter is not a date or a number."),
            404: OpenApiResponse(description="No such location among those you see."),
        },
    )
    def list(self, request):
        incoming = StockQuerySerializer(data=request.query_params)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        locations = queries.locations_for(request.user)
        if "location" in data:
            location = queries.get_location_or_404(request.user, data["location"])
            locations = locations.filter(pk=location.pk)
        item = None
        if "item" in data:
            item = queries.items_for(request.user).filter(pk=data["item"]).first()
            if item is None:
                raise ValidationError({"item": [_("No such item in your catalogue.")]})
        rows = stock_on(locations, data.get("as_of"), item=item)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(StockRowSerializer(page, many=True).data)


# Referrals -------------------------------------------------------------------------------------


def _referrals(user):
    picks = Movement.objects.filter(kind=MovementKind.PICK).select_related("lot__item")
    return (
        queries.referrals_for(user)
        .select_related(
            "household", "location", "referring_corporation", "referring_municipality"
        )
        .prefetch_related(
            "lines__item", Prefetch("movements", queryset=picks, to_attr="picks")
        )
        .order_by("-requested_on", "-id")
    )  # fmt: skip


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, description="requested, approved, handed_over, …"),
            OpenApiParameter("location", int, description="referrals to one location"),
        ]
    )
)
class ReferralViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals (依頼) the caller handles, with their household, goods asked and lots picked."""

    serializer_class = ReferralSerializer
    sasaeai_access = AUTHENTICATED

    def get_queryset(self):
        referrals = _referrals(self.request.user)
        if self.action == "list":
            params = self.request.query_params
            if params.get("status"):
                referrals = referrals.filter(status=params["status"])
            location = _id_parameter(params, "location")
            if location is not None:
                referrals = referrals.filter(location_id=location)
        return referrals

    def get_serializer_context(self):
        user = self.request.user
        return {**super().get_serializer_context(), "kept": _kept(user), "scope": scope_of(user)}

    def list(self, request, *args, **kwargs):
        answer = super().list(request, *args, **kwargs)
        page = getattr(self.paginator, "page", None)
        shown = [referral.household for referral in page] if page is not None else []
        record_accesses(shown, actor=request.user, what="API referral list")
        return answer

    def retrieve(self, request, *args, **kwargs):
        referral = self.get_object()
        record_access(referral.household, actor=request.user, what=f"API referral {referral.pk}")
        return Response(self.get_serializer(referral).data)

    def _answer(self, referral: Referral, code: int = status.HTTP_200_OK) -> Response:
        fresh = _referrals(self.request.user).get(pk=referral.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        request=ReferralCreateSerializer, responses={201: ReferralSerializer, **REFUSALS}
    )
    def create(self, request, *args, **kwargs):
        user = request.user
        incoming = ReferralCreateSerializer(
            data=request.data,
            locations=queries.locations_for(user),
            items=queries.items_for(user),
        )
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        referrer = self._referrer(data)
        household = data["household"]
        try:
            referral = actions.refer(
                location=data["location"],
                household=actions.HouseholdData(
                    municipality_id=household["municipality"].pk,
                    reference=household["reference"],
                    size=household["size"],
                    ages=household["ages"],
                ),
                lines=[(line["item"], line["quantity"]) for line in data["lines"]],
                urgency=data["urgency"],
                needs=data["needs"],
                on=data.get("requested_on"),
                by=user,
                **referrer,
            )
        except actions.StockError as error:
            return _refused(error)
        return self._answer(referral, status.HTTP_201_CREATED)

    def _referrer(self, data) -> dict:
        """The corporation or council named, else the caller's only one."""
        if data.get("corporation") is not None:
            return {"corporation": data["corporation"]}
        if data.get("municipality") is not None:
            return {"municipality": data["municipality"]}
        mine = queries.referrers_of(self.request.user)
        if len(mine["corporations"]) + len(mine["municipalities"]) == 1:
            if mine["corporations"]:
                return {"corporation": mine["corporations"][0]}
            return {"municipality": mine["municipalities"][0]}
        message = _("Name the referring corporation or the council's municipality.")
        raise ValidationError({"corporation": [message], "municipality": [message]})

    # Status changes: the referral is found among those the caller handles (else 404), the
    # caller's right to the change is checked (else 403), then the action decides (400/409).

    def _kept_referral(self) -> Referral:
        referral = self.get_object()
        if not actions.keeps(self.request.user, referral.location):
            raise PermissionDenied(
                _("Only the keepers of %(location)s decide on its referrals.")
                % {"location": referral.location.name}
            )
        return referral

    @extend_schema(request=StatusChangeSerializer, responses={200: ReferralSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, format=None):
        """Approve: the goods are picked first-expiring-first-out and leave the stock."""
        referral = self._kept_referral()
        body = _valid(StatusChangeSerializer, request)
        return self._act(actions.approve, referral=referral, on=body.get("on"))

    @extend_schema(request=ReasonSerializer, responses={200: ReferralSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None, format=None):
        referral = self._kept_referral()
        body = _valid(ReasonSerializer, request)
        return self._act(actions.decline, referral=referral, reason=body["reason"])

    @extend_schema(request=StatusChangeSerializer, responses={200: ReferralSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None, format=None):
        referral = self._kept_referral()
        body = _valid(StatusChangeSerializer, request)
        return self._act(actions.hand_over, referral=referral, on=body.get("on"))

    @extend_schema(request=CancelSerializer, responses={200: ReferralSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None, format=None):
        """Cancel: goods already picked go back to the location, the exact lots."""
        referral = self.get_object()
        if not actions.may_cancel(request.user, referral):
            raise PermissionDenied(_("You cannot cancel this referral."))
        body = _valid(CancelSerializer, request)
        return self._act(
            actions.cancel, referral=referral, reason=body["reason"], on=body.get("on")
        )

    def _act(self, verb, **arguments) -> Response:
        try:
            referral = verb(by=self.request.user, **arguments)
        except actions.StockError as error:
            return _refused(error)
        return self._answer(referral)


def _valid(serializer_class, request) -> dict:
    incoming = serializer_class(data=request.data)
    incoming.is_valid(raise_exception=True)
    return incoming.validated_data


# Public ----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("prefecture", str, description="2-digit code, e.g. 33"),
            OpenApiParameter("municipality", str, description="JIS code, e.g. 332038"),
        ]
    )
)
class DropOffViewSet(viewsets.ReadOnlyModelViewSet):
    """Public drop-off points in use, where residents bring food and daily goods: address,
    opening hours and the body that keeps each. No stock and no personal data."""

    serializer_class = DropOffSerializer
    permission_classes = [AllowAny]
    sasaeai_access = PUBLIC

    def get_queryset(self):
        points = (
            Location.objects.public_drop_offs()
            .select_related("municipality")
            .order_by("prefecture_id", "municipality_id", "name", "pk")
        )
        if self.action == "list":
            params = self.request.query_params
            for name, path in (
                ("prefecture", "prefecture_id"),
                ("municipality", "municipality_id"),
            ):
                if params.get(name):
                    points = points.filter(**{path: params[name]})
        return points
