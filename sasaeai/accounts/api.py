"""``POST /api/v1/auth/token/``: exchange a username and password for an API token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sasaeai.core.access import PUBLIC

from . import actions
from .mfa import second_factor_refusal


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"))
    password = serializers.CharField(label=_("password"), style={"input_type": "password"})
    code = serializers.CharField(
        label=_("authenticator code"),
        required=False,
        allow_blank=True,
        help_text=_("The current code of the authenticator app, for accounts with one."),
    )


class ObtainTokenView(APIView):
    """Anyone may ask; only a correct password (not locked out by axes) and, for accounts with
    a second factor or required to have one, its current code get a token."""

    sasaeai_access = PUBLIC
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active:
            return Response(
                {"detail": _("The username or password is not correct.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        refusal = second_factor_refusal(user, serializer.validated_data.get("code", ""))
        if refusal:
            return Response({"detail": refusal}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"token": actions.issue_api_token(user=user)})
