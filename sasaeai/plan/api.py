"""``GET /api/v1/kpis/?prefecture=33&as_of=YYYY-MM-DD``: every target of the prefecture's plan
on a date, with the same values as the KPI endpoints of the apps that own the records.

Staff of the prefecture (and superusers) see every target; everyone else the published ones.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sasaeai.accounts.scope import scope_of
from sasaeai.core.access import PUBLIC
from sasaeai.core.dates import JapaneseDateError, parse_japanese_date

from .measuring import AsOfError, read_plan
from .queries import plan_for
from .views.common import today


class PillarSerializer(serializers.Serializer):
    slug = serializers.CharField(source="pillar_slug")
    numeral = serializers.CharField(source="pillar_numeral")
    title = serializers.CharField(source="pillar_title")


class KpiSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    pillar = PillarSerializer(source="*")
    unit = serializers.CharField()
    period = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    is_forecast = serializers.BooleanField()
    target = serializers.FloatField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    evaluated_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField()
    progress = serializers.FloatField(allow_null=True)
    forecast = serializers.FloatField(allow_null=True)
    trend_per_month = serializers.FloatField(allow_null=True)
    pace_per_month = serializers.FloatField(allow_null=True)
    baseline = serializers.FloatField(allow_null=True)
    baseline_on = serializers.DateField(allow_null=True)
    value_at_deadline = serializers.FloatField(allow_null=True)
    source = serializers.CharField()
    is_public = serializers.BooleanField()


class PlanKpisSerializer(serializers.Serializer):
    prefecture = serializers.CharField()
    as_of = serializers.DateField()
    is_forecast = serializers.BooleanField()
    plan = serializers.DictField()
    kpis = KpiSerializer(many=True)


class PlanKpiView(APIView):
    """Every target of a prefecture's plan on a date."""

    sasaeai_access = PUBLIC
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("prefecture", str, required=True, description="e.g. 33"),
            OpenApiParameter("as_of", str, description="YYYY-MM-DD or 和暦; default today"),
        ],
        responses=PlanKpisSerializer,
    )
    def get(self, request):
        prefecture = request.query_params.get("prefecture", "")
        if not (prefecture.isdigit() and len(prefecture) == 2):
            raise ValidationError(
                {"prefecture": [_("Expected a 2-digit prefecture code such as 33.")]}
            )
        text = request.query_params.get("as_of")
        try:
            as_of = parse_japanese_date(text).value if text else today()
        except JapaneseDateError as error:
            raise ValidationError({"as_of": [str(error)]}) from None
        plan = plan_for(prefecture, as_of)
        if plan is None:
            raise NotFound(_("No plan has been entered for this prefecture yet."))
        scope = scope_of(request.user)
        staff = scope.sees_everything() or (
            scope.is_center_staff and scope.home_prefecture == prefecture
        )
        try:
            reading = read_plan(plan, as_of, today=today(), public_only=not staff, series=False)
        except AsOfError as error:
            raise ValidationError({"as_of": [str(error)]}) from None
        return Response(
            {
                "prefecture": prefecture,
                "as_of": as_of.isoformat(),
                "is_forecast": reading.is_forecast,
                "plan": {
                    "id": plan.pk,
                    "name": plan.name,
                    "first_fiscal_year": plan.first_fiscal_year,
                    "last_fiscal_year": plan.last_fiscal_year,
                },
                "kpis": KpiSerializer(reading.readings, many=True).data,
            }
        )
