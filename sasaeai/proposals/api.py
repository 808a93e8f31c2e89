"""``/api/v1/`` for Pillar VI: published proposals with their evidence (public)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from sasaeai.core.access import PUBLIC
from sasaeai.regions.models import Prefecture

from . import queries
from .models import Evidence, Proposal


class EvidenceSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["kind", "finding", "model_project", "survey_round", "title", "note"]

    def get_kind(self, evidence) -> str:
        if evidence.finding_id:
            return "finding"
        return "model_project" if evidence.model_project_id else "survey_round"

    def get_title(self, evidence) -> str:
        return str(evidence.source)


class ProposalSerializer(serializers.ModelSerializer):
    prefecture = serializers.CharField(source="prefecture_id")
    municipality = serializers.CharField(source="municipality_id", allow_null=True)
    themes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    evidence = EvidenceSerializer(many=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "prefecture",
            "title",
            "addressee_kind",
            "addressee",
            "municipality",
            "themes",
            "text",
            "status",
            "submitted_on",
            "answer",
            "answered_on",
            "published_on",
            "evidence",
        ]


class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """Published proposals (submitted or answered, made public), newest first."""

    serializer_class = ProposalSerializer
    permission_classes = [AllowAny]
    sasaeai_access = PUBLIC

    def get_queryset(self):
        proposals = queries.published_with_evidence().order_by("-published_on", "-id")
        if self.action == "list":
            code = self.request.query_params.get("prefecture", "")
            if code:
                if (
                    not (code.isdigit() and len(code) == 2)
                    or not Prefecture.objects.filter(code=code).exists()
                ):
                    raise ValidationError(
                        {"prefecture": [_("Expected a 2-digit prefecture code such as 33.")]}
                    )
                proposals = proposals.in_prefecture(code)
        return proposals

    @extend_schema(
        parameters=[OpenApiParameter("prefecture", str, description="2-digit code, e.g. 33")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
