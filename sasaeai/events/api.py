"""``/api/v1/events/`` and ``/api/v1/registrations/``.

Listing and reading follow the pages (public events for everyone, the rest for the
prefecture's staff). Creating an event is for center staff; a one-session event is created in
one request with ``starts_at`` (and optionally ``ends_at``, default two hours later).
Registering answers 201 with ``status`` ``confirmed`` or ``waitlisted``, 409 when
registration is closed or the event cancelled, 400 for other refusals (a duplicate).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from sasaeai.accounts.scope import scope_of
from sasaeai.core.access import AUTHENTICATED, PUBLIC
from sasaeai.core.audit import record_access
from sasaeai.core.schema import error
from sasaeai.members.models import Corporation, Council

from . import actions
from .models import Audience, Event, EventKind, Registration, Session

CLOSED_CODES = {"closed", "cancelled"}


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["number", "title", "starts_at", "ends_at", "venue", "online_url", "capacity"]


class SessionInputSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    venue = serializers.CharField(required=False, allow_blank=True, default="")
    online_url = serializers.URLField(required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class EventSerializer(serializers.ModelSerializer):
    sessions = SessionSerializer(many=True, read_only=True)
    confirmed_count = serializers.IntegerField(read_only=True)
    waitlist_count = serializers.IntegerField(read_only=True)
    prefecture = serializers.CharField(source="prefecture_id", read_only=True)
    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Event
        fields = [
            "id",
            "prefecture",
            "kind",
            "title",
            "description",
            "pillar",
            "tags",
            "themes",
            "organiser",
            "audience",
            "fiscal_year",
            "status",
            "capacity",
            "per_organisation_limit",
            "registration_opens_at",
            "registration_closes_at",
            "cancellation_cutoff",
            "completion_min_sessions",
            "confirmed_count",
            "waitlist_count",
            "sessions",
        ]
        read_only_fields = ["fiscal_year", "status"]


class EventCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=EventKind.choices)
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.SECTOR)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    organiser = serializers.CharField(required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(required=False, allow_null=True, min_value=1, default=None)
    per_organisation_limit = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    registration_closes_at = serializers.DateTimeField(required=False, allow_null=True)
    cancellation_cutoff = serializers.DateTimeField(required=False, allow_null=True)
    completion_min_sessions = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    venue = serializers.CharField(required=False, allow_blank=True, default="")
    sessions = SessionInputSerializer(many=True, required=False)

    def validate(self, data):
        if not data.get("sessions") and not data.get("starts_at"):
            raise ValidationError({"starts_at": [_("Give starts_at or a list of sessions.")]})
        return data

    def session_data(self) -> list[actions.SessionData]:
        data = self.validated_data
        rows = data.get("sessions") or [
            {"starts_at": data["starts_at"], "ends_at": data.get("ends_at"), "venue": data["venue"]}
        ]
        return [
            actions.SessionData(
                starts_at=row["starts_at"],
                ends_at=row.get("ends_at") or row["starts_at"] + datetime.timedelta(hours=2),
                title=row.get("title", ""),
                venue=row.get("venue", ""),
                online_url=row.get("online_url", ""),
                capacity=row.get("capacity"),
            )
            for row in rows
        ]

    def event_fields(self) -> dict:
        keys = (
            "title", "kind", "audience", "description", "organiser", "capacity",
            "per_organisation_limit", "registration_closes_at", "cancellation_cutoff",
            "completion_min_sessions",
        )  # fmt: skip
        return {key: self.validated_data.get(key) for key in keys if key in self.validated_data}


class RegistrationSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True, help_text="Empty when none was given.")

    class Meta:
        model = Registration
        fields = ["id", "event", "status", "name", "email", "organisation", "created_at"]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    organisation = serializers.CharField(required=False, allow_blank=True, default="")
    corporation = serializers.IntegerField(required=False)
    council = serializers.IntegerField(required=False)


def _events():
    return Event.objects.with_counts().prefetch_related(
        Prefetch("sessions", queryset=Session.objects.order_by("starts_at")), "themes"
    )


class EventViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = EventSerializer
    permission_classes = [AllowAny]
    sasaeai_access = PUBLIC

    def get_queryset(self):
        return _events().visible_to(self.request.user).order_by("-fiscal_year", "id")

    @extend_schema(request=EventCreateSerializer, responses={201: EventSerializer})
    def create(self, request, *args, **kwargs):
        scope = scope_of(request.user)
        if not scope.is_center_staff:
            raise PermissionDenied(_("Only the center's staff create events."))
        prefecture = scope.home_prefecture or request.data.get("prefecture")
        incoming = EventCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            event = actions.create_event(
                prefecture=prefecture,
                sessions=incoming.session_data(),
                by=request.user,
                **incoming.event_fields(),
            )
        except DjangoValidationError as error:
            raise ValidationError({"detail": error.messages}) from None
        return Response(
            EventSerializer(_events().get(pk=event.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        methods=["POST"], request=RegisterSerializer, responses={201: RegistrationSerializer}
    )
    @extend_schema(methods=["GET"], responses=RegistrationSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="registrations")
    def registrations(self, request, pk=None, format=None):
        event = get_object_or_404(self.get_queryset(), pk=pk)
        if request.method == "GET":
            if not Event.objects.managed_by(request.user).filter(pk=event.pk).exists():
                raise NotFound
            record_access(event, actor=request.user, what="registrations (API)")
            rows = event.registrations.select_related("corporation", "council").order_by(
                "created_at", "id"
            )
            page = self.paginate_queryset(rows)
            return self.get_paginated_response(RegistrationSerializer(page, many=True).data)
        return self._register(request, event)

    def _register(self, request, event: Event) -> Response:
        scope = scope_of(request.user)
        if event.audience != Audience.PUBLIC and not scope.is_authenticated:
            raise PermissionDenied(_("Log in to register for this event."))
        incoming = RegisterSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        organisation = {}
        if data.get("corporation"):
            corporation = Corporation.objects.filter(pk=data["corporation"]).first()
            if corporation is None or not (
                scope.is_center_staff or corporation.pk in scope.corporation_ids
            ):
                raise ValidationError({"corporation": [_("Not one of your corporations.")]})
            organisation["corporation"] = corporation
        elif data.get("council"):
            council = Council.objects.filter(pk=data["council"]).first()
            if council is None or not (
                scope.is_center_staff or council.municipality_id in scope.municipality_codes
            ):
                raise ValidationError({"council": [_("Not your council.")]})
            organisation["council"] = council
        try:
            registration = actions.register(
                event=event,
                name=data["name"],
                email=data["email"],
                affiliation=data["organisation"],
                by=request.user,
                **organisation,
            )
        except DjangoValidationError as error:
            body = {"detail": " ".join(error.messages), "code": error.code}
            code = status.HTTP_409_CONFLICT if error.code in CLOSED_CODES else 400
            return Response(body, status=code)
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class RegistrationViewSet(mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """``DELETE /api/v1/registrations/{id}/`` cancels (the organiser, or whoever registered)."""

    serializer_class = RegistrationSerializer
    sasaeai_access = AUTHENTICATED

    def get_queryset(self):
        return Registration.objects.visible_to(self.request.user).select_related("event")

    @extend_schema(
        responses={
            200: RegistrationSerializer,
            409: error("Past the cancellation cutoff: only the organiser may cancel now."),
        }
    )
    def destroy(self, request, *args, **kwargs):
        registration = self.get_object()
        staff = Event.objects.managed_by(request.user).filter(pk=registration.event_id).exists()
        try:
            registration = actions.cancel_registration(
                registration=registration, by=request.user, staff=staff
            )
        except DjangoValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        return Response(RegistrationSerializer(registration).data)
