"""``/api/v1/surveys/``: definitions as JSON (to share between prefectures), and the
「している」 KPI at ``/api/v1/kpis/survey/``."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from sasaeai.accounts.scope import scope_of
from sasaeai.core.access import AUTHENTICATED
from sasaeai.core.kpis import target_of
from sasaeai.regions.models import Center, Prefecture

from . import definition
from .models import Survey


class SurveySerializer(serializers.ModelSerializer):
    prefecture = serializers.CharField(source="prefecture_id", read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "prefecture", "code", "title", "fiscal_year"]


class SurveyViewSet(viewsets.GenericViewSet):
    """Definitions of the center's prefecture. ``POST`` takes the JSON that
    ``definition/`` gives and creates the definition (center staff)."""

    sasaeai_access = AUTHENTICATED
    queryset = Survey.objects.none()  # typed for the schema; requests use _surveys()
    serializer_class = SurveySerializer
    pagination_class = None

    def _surveys(self, request):
        return Survey.objects.managed_by(request.user)

    @extend_schema(responses=SurveySerializer(many=True))
    def list(self, request):
        return Response(SurveySerializer(self._surveys(request), many=True).data)

    @extend_schema(request=dict, responses={201: SurveySerializer})
    def create(self, request):
        scope = scope_of(request.user)
        if not scope.is_center_staff or scope.home_prefecture is None:
            raise PermissionDenied(_("Only the center's staff create surveys."))
        try:
            survey = definition.import_definition(
                request.data, prefecture=scope.home_prefecture, by=request.user
            )
        except DjangoValidationError as error:
            raise ValidationError({"definition": error.messages}) from None
        return Response(SurveySerializer(survey).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=dict)
    @action(detail=True, methods=["get"])
    def definition(self, request, pk=None, format=None):
        survey = get_object_or_404(self._surveys(request), pk=pk)
        return Response(definition.export_definition(survey))


class SurveyKpiView(APIView):
    """The share of respondents answering 「している」 in a fiscal year, against the target."""

    sasaeai_access = AUTHENTICATED

    @extend_schema(
        parameters=[
            OpenApiParameter("prefecture", str, required=True, description="e.g. 33"),
            OpenApiParameter("fiscal_year", int, required=True, description="e.g. 2019"),
        ],
        responses=inline_serializer(
            "SurveyKpi",
            {
                "fiscal_year": serializers.IntegerField(),
                "targets": serializers.IntegerField(),
                "responses": serializers.IntegerField(),
                "response_rate": serializers.FloatField(allow_null=True),
                "doing": serializers.IntegerField(),
                "doing_share": serializers.FloatField(allow_null=True),
                "target": serializers.FloatField(allow_null=True),
                "deadline": serializers.DateField(allow_null=True),
            },
        ),
    )
    def get(self, request):
        from . import results

        prefecture = request.query_params.get("prefecture", "")
        if (
            not (prefecture.isdigit() and len(prefecture) == 2)
            or not Prefecture.objects.filter(code=prefecture).exists()
        ):
            raise ValidationError(
                {"prefecture": [_("Expected a 2-digit prefecture code such as 33.")]}
            )
        scope = scope_of(request.user)
        if not scope.sees_everything() and scope.home_prefecture != prefecture:
            raise ValidationError(
                {"prefecture": [_("You can see the figures of your own prefecture only.")]}
            )
        year = request.query_params.get("fiscal_year", "")
        if not year.isdigit():
            raise ValidationError({"fiscal_year": [_("Expected a fiscal year such as 2019.")]})
        kpi = results.kpi(prefecture=prefecture, fiscal_year=int(year))
        center = Center.objects.filter(prefecture_id=prefecture).first()
        target = (center.settings or {}).get("survey_target") if center else None
        planned = target_of(prefecture, "survey_doing_share")
        if planned is not None:  # the plan's target, else the center's setting
            target = {"share": planned.value, "deadline": planned.deadline.isoformat()}
        return Response(
            {
                "fiscal_year": kpi.fiscal_year,
                "targets": kpi.targets,
                "responses": kpi.responses,
                "response_rate": kpi.response_rate,
                "doing": kpi.doing,
                "doing_share": kpi.doing_share,
                "target": float(target["share"]) if target else None,
                "deadline": datetime.date.fromisoformat(target["deadline"]).isoformat()
                if target
                else None,
            }
        )
