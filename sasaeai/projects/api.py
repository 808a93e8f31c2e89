"""``/api/v1/`` for Pillar II: themes (public) and model projects (scoped like the pages),
with their designated sites and status history."""

from __future__ import annotations

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

from . import kpis, queries
from .models import ModelProject, ModelSite, ProjectStatus, ProjectStatusEntry, Theme

PREFECTURE = OpenApiParameter("prefecture", str, description="2-digit code, e.g. 33")


def _prefecture(params, *, required: bool) -> str | None:
    code = params.get("prefecture", "")
    if not code and not required:
        return None
    if not (code.isdigit() and len(code) == 2) or not Prefecture.objects.filter(code=code).exists():
        raise ValidationError({"prefecture": [_("Expected a 2-digit prefecture code such as 33.")]})
    return code


class ThemeSerializer(serializers.ModelSerializer):
    prefecture = serializers.CharField(source="prefecture_id")

    class Meta:
        model = Theme
        fields = ["id", "prefecture", "code", "name", "description", "order", "active"]


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    """The themes of a prefecture (制度の狭間の課題), in their order."""

    serializer_class = ThemeSerializer
    permission_classes = [AllowAny]
    sasaeai_access = PUBLIC

    def get_queryset(self):
        themes = Theme.objects.filter(active=True).order_by("prefecture_id", "order", "code")
        if self.action == "list":
            themes = themes.in_prefecture(_prefecture(self.request.query_params, required=True))
        return themes

    @extend_schema(parameters=[PREFECTURE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class SiteSerializer(serializers.ModelSerializer):
    corporation = serializers.CharField(source="corporation.name", default=None, allow_null=True)
    network = serializers.CharField(source="network.name", default=None, allow_null=True)
    municipality = serializers.CharField(source="municipality_id")
    municipality_name = serializers.CharField(source="municipality.name")

    class Meta:
        model = ModelSite
        fields = [
            "id",
            "corporation",
            "network",
            "municipality",
            "municipality_name",
            "designated_on",
            "ended_on",
        ]


class StatusEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectStatusEntry
        fields = ["status", "effective_on", "note"]


class ModelProjectSerializer(serializers.ModelSerializer):
    prefecture = serializers.CharField(source="prefecture_id")
    theme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    theme_name = serializers.CharField(source="theme.name")
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    sites = SiteSerializer(many=True)
    history = StatusEntrySerializer(many=True)

    class Meta:
        model = ModelProject
        fields = [
            "id",
            "prefecture",
            "theme",
            "theme_name",
            "title",
            "first_fiscal_year",
            "last_fiscal_year",
            "goals",
            "outcomes",
            "max_sites",
            "status",
            "sites",
            "history",
        ]


class ModelProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Model projects the caller may see: public once out of planning; center staff see their
    prefecture's plans too."""

    serializer_class = ModelProjectSerializer
    permission_classes = [AllowAny]
    sasaeai_access = PUBLIC

    def get_queryset(self):
        projects = (
            queries.visible_projects(self.request.user)
            .select_related("theme")
            .prefetch_related(
                "sites__corporation", "sites__network", "sites__municipality", "history"
            )
            .order_by("id")
        )
        if self.action == "list":
            params = self.request.query_params
            prefecture = _prefecture(params, required=False)
            if prefecture:
                projects = projects.in_prefecture(prefecture)
            status = params.get("status")
            if status:
                if status not in ProjectStatus.values:
                    raise ValidationError({"status": [_("Unknown status %s.") % status]})
                projects = projects.filter(status=status)
        return projects

    @extend_schema(
        parameters=[
            PREFECTURE,
            OpenApiParameter("status", str, description="planned, running, evaluated or shared"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class ModelProjectKpiView(APIView):
    """The plan's Pillar II target on ``as_of``: model projects developed and shared (≥ 5
    within the five years for Okayama), counted from each project's dated status history."""

    permission_classes = [AllowAny]
    sasaeai_access = PUBLIC

    @extend_schema(
        parameters=[
            OpenApiParameter("prefecture", str, required=True, description="2-digit code"),
            OpenApiParameter("as_of", str, description="YYYY-MM-DD or 和暦; default today"),
        ],
        responses=inline_serializer(
            "ModelProjectKpi",
            {
                "as_of": serializers.DateField(),
                "prefecture": serializers.CharField(),
                "shared": serializers.IntegerField(),
                "total": serializers.IntegerField(),
                "by_status": serializers.DictField(child=serializers.IntegerField()),
                "target": serializers.IntegerField(allow_null=True),
                "deadline": serializers.DateField(allow_null=True),
            },
        ),
    )
    def get(self, request):
        prefecture = _prefecture(request.query_params, required=True)
        text = request.query_params.get("as_of")
        try:
            as_of = parse_japanese_date(text).value if text else today_in_japan()
        except JapaneseDateError as error:
            raise ValidationError({"as_of": [str(error)]}) from None
        figures = kpis.project_figures(prefecture, as_of)
        target = kpis.model_project_target(Center.objects.filter(prefecture_id=prefecture).first())
        return Response(
            {
                "as_of": as_of.isoformat(),
                "prefecture": prefecture,
                "shared": figures.shared,
                "total": figures.total,
                "by_status": figures.by_status,
                "target": target.value if target else None,
                "deadline": target.deadline.isoformat() if target else None,
            }
        )
