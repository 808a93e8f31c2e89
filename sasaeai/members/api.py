from rest_framework import serializers, viewsets

from sasaeai.core.access import AUTHENTICATED

from .models import Corporation
from .queries import visible_corporations


class CorporationSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality_id")
    municipality_name = serializers.CharField(source="municipality.name")

    class Meta:
        model = Corporation
        fields = [
            "id",
            "corporate_number",
            "name",
            "name_kana",
            "municipality",
            "municipality_name",
            "is_fictitious",
        ]


class CorporationViewSet(viewsets.ReadOnlyModelViewSet):
    """Corporations the caller may see (scoped like the pages)."""

    sasaeai_access = AUTHENTICATED

    serializer_class = CorporationSerializer

    def get_queryset(self):
        return visible_corporations(self.request.user).order_by("corporate_number")
