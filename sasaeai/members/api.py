"""API of Pillar I: the registry, membership and the membership rate, scoped like the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from sasaeai.accounts.scope import scope_of
from sasaeai.core.access import AUTHENTICATED
from sasaeai.core.dates import JapaneseDateError, parse_japanese_date
from sasaeai.regions.codes import InvalidMunicipalityCode, normalize_local_government_code

from . import kpis, queries
from .filters import (
    filter_corporations,
    filter_councils,
    filter_facilities,
    filter_membership_events,
    today_in_japan,
)
from .models import Corporation, Council, Facility, MembershipEvent

FILTER_PARAMETERS = [
    OpenApiParameter("prefecture", str, description="2-digit prefecture code, e.g. 33"),
    OpenApiParameter("municipality", str, description="5- or 6-digit code; a city's wards too"),
    OpenApiParameter("member", str, description="1: members today, 0: not members"),
    OpenApiParameter("q", str, description="free text on the normalised name and kana"),
]


class CorporationSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality_id")
    municipality_name = serializers.CharField(source="municipality.__str__")
    sector_group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Corporation
        fields = [
            "id",
            "corporate_number",
            "name",
            "name_kana",
            "representative",
            "postal_code",
            "address",
            "phone",
            "municipality",
            "municipality_name",
            "sector_group",
            "founded",
            "closed",
            "is_fictitious",
        ]


class FacilitySerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality_id")
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            "corporation",
            "name",
            "name_kana",
            "kind",
            "municipality",
            "postal_code",
            "address",
            "capacity",
            "opened",
            "closed",
            "office_number",
        ]


class CouncilSerializer(serializers.ModelSerializer):
    prefecture = serializers.CharField(source="prefecture_id")
    municipality = serializers.CharField(source="municipality_id", allow_null=True)

    class Meta:
        model = Council
        fields = ["id", "level", "name", "prefecture", "municipality", "founded", "closed"]


class MembershipEventSerializer(serializers.ModelSerializer):
    member_type = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = MembershipEvent
        fields = [
            "id",
            "corporation",
            "council",
            "kind",
            "effective_date",
            "member_type",
            "facilities",
            "voided_at",
            "void_reason",
        ]


class FilteredViewSet(viewsets.ReadOnlyModelViewSet):
    sasaeai_access = AUTHENTICATED
    filter_function = None

    @extend_schema(parameters=FILTER_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        try:
            return type(self).filter_function(queryset, self.request.query_params)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None


class CorporationViewSet(FilteredViewSet):
    """Corporations the caller may see."""

    serializer_class = CorporationSerializer
    filter_function = filter_corporations

    def get_queryset(self):
        return queries.visible_corporations(self.request.user).order_by("corporate_number")


class FacilityViewSet(FilteredViewSet):
    """Facilities and business offices the caller may see."""

    serializer_class = FacilitySerializer
    filter_function = filter_facilities

    def get_queryset(self):
        return queries.visible_facilities(self.request.user).order_by("id")


class CouncilViewSet(FilteredViewSet):
    """Councils of social welfare the caller may see."""

    serializer_class = CouncilSerializer
    filter_function = filter_councils

    def get_queryset(self):
        return queries.visible_councils(self.request.user).order_by("id")


class MembershipEventViewSet(FilteredViewSet):
    """The dated membership events of the members the caller may see (``kind`` filters
    join, change or withdraw)."""

    serializer_class = MembershipEventSerializer
    filter_function = filter_membership_events

    def get_queryset(self):
        return (
            MembershipEvent.objects.visible_to(self.request.user)
            .select_related("member_type")
            .prefetch_related("facilities")
            .order_by("effective_date", "id")
        )


class MembershipRateSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    prefecture = serializers.CharField()
    municipality = serializers.CharField(allow_null=True)
    rate = serializers.FloatField(allow_null=True, help_text="0..1, facility basis")
    by_corporation = serializers.FloatField(allow_null=True)
    by_council = serializers.FloatField(allow_null=True)
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    facilities_member = serializers.IntegerField()
    facilities_total = serializers.IntegerField()
    corporations_member = serializers.IntegerField()
    corporations_total = serializers.IntegerField()
    councils_member = serializers.IntegerField()
    councils_total = serializers.IntegerField()


class MembershipKpiView(APIView):
    """The membership rate of a prefecture (or one municipality) on a date."""

    sasaeai_access = AUTHENTICATED

    @extend_schema(
        parameters=[
            OpenApiParameter("prefecture", str, required=True, description="e.g. 33"),
            OpenApiParameter("as_of", str, description="YYYY-MM-DD or 和暦; default today"),
            OpenApiParameter("municipality", str, description="6-digit code"),
        ],
        responses=MembershipRateSerializer,
    )
    def get(self, request):
        prefecture = request.query_params.get("prefecture", "")
        if not (prefecture.isdigit() and len(prefecture) == 2):
            raise ValidationError(
                {"prefecture": [_("Expected a 2-digit prefecture code such as 33.")]}
            )
        self._check_scope(request.user, prefecture)
        rate = kpis.Figures().rate(
            prefecture=prefecture,
            as_of=self._as_of(request.query_params.get("as_of")),
            municipality=self._municipality(request.query_params.get("municipality")),
        )
        target = kpis.membership_target_of(prefecture)
        data = {
            **MembershipRateSerializer(rate).data,
            "target": target.rate if target else None,
            "deadline": target.deadline.isoformat() if target else None,
        }
        return Response(data)

    @staticmethod
    def _as_of(text: str | None):
        if not text:
            return today_in_japan()
        try:
            return parse_japanese_date(text).value
        except JapaneseDateError as error:
            raise ValidationError({"as_of": [str(error)]}) from None

    @staticmethod
    def _municipality(text: str | None) -> str | None:
        if not text:
            return None
        try:
            return normalize_local_government_code(text)
        except InvalidMunicipalityCode as error:
            raise ValidationError({"municipality": [str(error)]}) from None

    @staticmethod
    def _check_scope(user, prefecture: str) -> None:
        """An aggregate of a prefecture is for those who work in it."""
        scope = scope_of(user)
        if not scope.sees_everything() and scope.home_prefecture != prefecture:
            raise ValidationError(
                {"prefecture": [_("You can see the figures of your own prefecture only.")]}
            )
