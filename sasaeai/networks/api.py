"""``/api/v1/`` for Pillar III: networks, every municipality's status and the KPI, as of a date.

Which networks exist and where each municipality stands is public, as on the overview page;
evidence, documents and visits are not in the API.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sasaeai.core.access import PUBLIC
from sasaeai.core.dates import JapaneseDateError, parse_japanese_date
from sasaeai.members.filters import today_in_japan
from sasaeai.regions.models import Center, Prefecture

from . import kpis
from .models import MunicipalNetwork, Status

PARAMETERS = [
    OpenApiParameter("prefecture", str, required=True, description="2-digit code, e.g. 33"),
    OpenApiParameter("as_of", str, description="YYYY-MM-DD or 和暦 (H31.3.31); default today"),
]


def _prefecture(params) -> str:
    code = params.get("prefecture", "")
    if not (code.isdigit() and len(code) == 2) or not Prefecture.objects.filter(code=code).exists():
        raise ValidationError({"prefecture": [_("Expected a 2-digit prefecture code such as 33.")]})
    return code


def _as_of(params) -> datetime.date:
    text = params.get("as_of")
    if not text:
        return today_in_japan()
    try:
        return parse_japanese_date(text).value
    except JapaneseDateError as error:
        raise ValidationError({"as_of": [str(error)]}) from None


class AreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class NetworkSerializer(serializers.ModelSerializer):
    prefecture = serializers.CharField(source="prefecture_id")
    area = AreaSerializer(many=True)
    secretariat = serializers.CharField(source="secretariat.name", default=None)

    class Meta:
        model = MunicipalNetwork
        fields = [
            "id",
            "name",
            "nickname",
            "prefecture",
            "area",
            "secretariat",
            "established_on",
            "established_note",
            "dissolved_on",
        ]


class NetworkViewSet(viewsets.ReadOnlyModelViewSet):
    """Municipal networks of a prefecture; with ``as_of``, those established on that date."""

    serializer_class = NetworkSerializer
    permission_classes = [AllowAny]
    sasaeai_access = PUBLIC

    def get_queryset(self):
        queryset = MunicipalNetwork.objects.select_related("secretariat").prefetch_related("area")
        if self.action != "list":
            return queryset
        params = self.request.query_params
        queryset = queryset.in_prefecture(_prefecture(params))
        if params.get("as_of"):
            queryset = queryset.established_on(_as_of(params))
        return queryset.order_by("established_on", "id")

    @extend_schema(parameters=PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class MunicipalityStatusSerializer(serializers.Serializer):
    code = serializers.CharField(source="municipality.code")
    name = serializers.CharField(source="municipality.name")
    status = serializers.ChoiceField(choices=Status.choices)
    since = serializers.DateField(allow_null=True)
    network = serializers.SerializerMethodField()

    def get_network(self, entry) -> dict | None:
        if entry.network is None:
            return None
        return {"id": entry.network.pk, "name": entry.network.name}


class MunicipalityStatusView(APIView):
    """One row per municipality of the prefecture (wards in their city) with its status on
    ``as_of``: ``none``, ``meetings``, ``study``, ``established``, ``active`` or ``dormant``."""

    permission_classes = [AllowAny]
    sasaeai_access = PUBLIC

    @extend_schema(
        parameters=PARAMETERS,
        responses=inline_serializer(
            "MunicipalityStatusList",
            {
                "as_of": serializers.DateField(),
                "prefecture": serializers.CharField(),
                "count": serializers.IntegerField(),
                "results": MunicipalityStatusSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        prefecture = _prefecture(request.query_params)
        as_of = _as_of(request.query_params)
        statuses = kpis.municipality_statuses(prefecture=prefecture, as_of=as_of)
        return Response(
            {
                "as_of": as_of.isoformat(),
                "prefecture": prefecture,
                "count": len(statuses),
                "results": MunicipalityStatusSerializer(statuses, many=True).data,
            }
        )


class NetworkKpiView(APIView):
    """The plan's network target on ``as_of``: networks established, municipalities by stage."""

    permission_classes = [AllowAny]
    sasaeai_access = PUBLIC

    @extend_schema(
        parameters=PARAMETERS,
        responses=inline_serializer(
            "NetworkKpi",
            {
                "as_of": serializers.DateField(),
                "prefecture": serializers.CharField(),
                "established": serializers.IntegerField(),
                "municipalities_established": serializers.IntegerField(),
                "municipalities_considering": serializers.IntegerField(),
                "municipalities_none": serializers.IntegerField(),
                "municipalities_total": serializers.IntegerField(),
                "by_status": serializers.DictField(child=serializers.IntegerField()),
                "target": serializers.IntegerField(allow_null=True),
                "deadline": serializers.DateField(allow_null=True),
            },
        ),
    )
    def get(self, request):
        prefecture = _prefecture(request.query_params)
        as_of = _as_of(request.query_params)
        figures = kpis.network_figures(prefecture=prefecture, as_of=as_of)
        target = kpis.network_target(Center.objects.filter(prefecture_id=prefecture).first())
        return Response(
            {
                "as_of": as_of.isoformat(),
                "prefecture": prefecture,
                "established": figures.established,
                "municipalities_established": figures.municipalities_established,
                "municipalities_considering": figures.municipalities_considering,
                "municipalities_none": figures.municipalities_none,
                "municipalities_total": figures.municipalities_total,
                "by_status": {s.value: figures.by_status.get(s, 0) for s in Status},
                "target": target.value if target else None,
                "deadline": target.deadline.isoformat() if target else None,
            }
        )
