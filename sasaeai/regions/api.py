"""Reference data of Japan's local governments: public, read-only."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from sasaeai.core.access import PUBLIC
from sasaeai.core.schema import error

from .codes import InvalidMunicipalityCode, normalize_local_government_code
from .models import Municipality, Prefecture


class PrefectureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Prefecture
        fields = ["code", "name", "kana"]


class MunicipalitySerializer(serializers.ModelSerializer):
    prefecture = serializers.CharField(source="prefecture_id")
    parent = serializers.CharField(source="parent_id", allow_null=True)

    class Meta:
        model = Municipality
        fields = ["code", "name", "kana", "kind", "prefecture", "parent", "is_active"]


class PrefectureViewSet(viewsets.ReadOnlyModelViewSet):
    """The 47 prefectures (JIS X 0401)."""

    sasaeai_access = PUBLIC
    permission_classes = [AllowAny]
    serializer_class = PrefectureSerializer
    queryset = Prefecture.objects.order_by("code")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("prefecture", str, description="2-digit prefecture code, e.g. 33"),
            OpenApiParameter("include_wards", bool, description="1: add the wards of cities"),
        ]
    ),
    retrieve=extend_schema(
        responses={
            200: MunicipalitySerializer,
            400: error("Not a municipality code (5 or 6 digits, with a right check digit)."),
        }
    ),
)
class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """Municipalities with their 6-digit 全国地方公共団体コード; wards only on request."""

    sasaeai_access = PUBLIC
    permission_classes = [AllowAny]
    serializer_class = MunicipalitySerializer
    lookup_field = "code"

    def get_queryset(self):
        queryset = Municipality.objects.order_by("code")
        if self.action == "list":
            queryset = self._filtered(queryset)
        return queryset

    def get_object(self):
        try:
            self.kwargs["code"] = normalize_local_government_code(self.kwargs["code"])
        except InvalidMunicipalityCode as error:
            raise ValidationError({"code": [str(error)]}) from None
        return super().get_object()

    def _filtered(self, queryset):
        params = self.request.query_params
        prefecture = params.get("prefecture")
        if prefecture:
            if not (prefecture.isdigit() and len(prefecture) == 2):
                raise ValidationError(
                    {"prefecture": [_("Expected a 2-digit prefecture code such as 33.")]}
                )
            queryset = queryset.of_prefecture(prefecture)
        if params.get("include_wards") not in {"1", "true", "True"}:
            queryset = queryset.without_wards()
        return queryset
