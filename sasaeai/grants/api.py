"""``/api/v1/grant-programs/``, ``/api/v1/grant-calls/`` and ``/api/v1/grant-applications/``.

Programs (with their rules and budgets) and published calls are public. Applications are
scoped by ``Application.objects.visible_to(user)``, as on the pages; anonymous callers get the
API's 403. Every write goes through ``actions``:

* ``POST /grant-applications/`` creates a draft (and submits it with ``"submit": true``):
  corporation staff for their own corporation, council staff for a network of their area,
  center staff for any applicant of their prefecture.
* ``POST /grant-applications/{id}/decide/`` awards (``amounts`` per fiscal year) or declines
  (``decline`` with a ``reason``): center staff of the program's prefecture. An application
  the caller cannot see is the same 404 as a missing one; one they see but do not manage
  (the applicant's own staff) answers 403.

A rule of the program that refuses the write answers 409 ``{"rule": code, "detail":
sentence}``; a body of the wrong shape answers 400 naming its fields.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from sasaeai.accounts.scope import scope_of
from sasaeai.core.access import AUTHENTICATED, PUBLIC
from sasaeai.members.models import Corporation
from sasaeai.networks.models import MunicipalNetwork
from sasaeai.projects.models import Theme

from . import actions
from .models import (
    Application,
    AwardYear,
    BudgetLine,
    Decision,
    GrantCall,
    GrantProgram,
    Payment,
    ProgramBudget,
)
from .rules import RuleBroken

# Programs and calls ----------------------------------------------------------------------------


class ProgramBudgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgramBudget
        fields = ["fiscal_year", "amount"]


class GrantProgramSerializer(serializers.ModelSerializer):
    prefecture = serializers.CharField(source="prefecture_id", read_only=True)
    eligible_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)
    expense_categories = serializers.ListField(child=serializers.CharField(), read_only=True)
    budgets = ProgramBudgetSerializer(many=True, read_only=True)

    class Meta:
        model = GrantProgram
        fields = [
            "id",
            "prefecture",
            "code",
            "name",
            "purpose",
            "eligible_kinds",
            "members_only",
            "cap_per_year",
            "cap_total",
            "max_years",
            "max_sites_per_theme",
            "requires_theme",
            "expense_categories",
            "active",
            "budgets",
        ]


class CallThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "code", "name"]


class GrantCallSerializer(serializers.ModelSerializer):
    program_code = serializers.CharField(source="program.code", read_only=True)
    program_name = serializers.CharField(source="program.name", read_only=True)
    prefecture = serializers.CharField(source="program.prefecture_id", read_only=True)
    themes = CallThemeSerializer(many=True, read_only=True)

    class Meta:
        model = GrantCall
        fields = [
            "id",
            "program",
            "program_code",
            "program_name",
            "prefecture",
            "fiscal_year",
            "title",
            "description",
            "opens_on",
            "closes_on",
            "themes",
        ]


PREFECTURE_PARAMETER = OpenApiParameter("prefecture", str, description="2-digit code, e.g. 33")


def _prefecture_filter(queryset, params, path: str):
    code = params.get("prefecture")
    if code is None or code == "":
        return queryset
    if not (code.isdigit() and len(code) == 2):
        raise ValidationError({"prefecture": [_("Expected a 2-digit prefecture code such as 33.")]})
    return queryset.filter(**{path: code})


def _fiscal_year_filter(queryset, params):
    text = params.get("fiscal_year")
    if text is None or text == "":
        return queryset
    if not (text.isdigit() and len(text) == 4):
        raise ValidationError({"fiscal_year": [_("Expected a fiscal year such as 2019.")]})
    return queryset.filter(fiscal_year=int(text))


@extend_schema_view(list=extend_schema(parameters=[PREFECTURE_PARAMETER]))
class GrantProgramViewSet(viewsets.ReadOnlyModelViewSet):
    """Grant programs in use, with their rules (caps, years, sites per theme, expense
    categories) and their budget per fiscal year."""

    serializer_class = GrantProgramSerializer
    permission_classes = [AllowAny]
    sasaeai_access = PUBLIC

    def get_queryset(self):
        programs = (
            GrantProgram.objects.filter(active=True)
            .prefetch_related("budgets")
            .order_by("prefecture_id", "code", "id")
        )
        if self.action == "list":
            programs = _prefecture_filter(programs, self.request.query_params, "prefecture_id")
        return programs


@extend_schema_view(
    list=extend_schema(
        parameters=[
            PREFECTURE_PARAMETER,
            OpenApiParameter("fiscal_year", int, description="e.g. 2019"),
        ]
    )
)
class GrantCallViewSet(viewsets.ReadOnlyModelViewSet):
    """Published calls (募集), the latest fiscal year first, with the themes they admit."""

    serializer_class = GrantCallSerializer
    permission_classes = [AllowAny]
    sasaeai_access = PUBLIC

    def get_queryset(self):
        calls = (
            GrantCall.objects.filter(published=True)
            .select_related("program")
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order", "code")))
            .order_by("-fiscal_year", "-opens_on", "id")
        )
        if self.action == "list":
            params = self.request.query_params
            calls = _fiscal_year_filter(
                _prefecture_filter(calls, params, "program__prefecture_id"), params
            )
        return calls


# Applications ----------------------------------------------------------------------------------


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["fiscal_year", "category", "description", "amount"]


class AwardYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardYear
        fields = ["fiscal_year", "amount"]


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "fiscal_year", "kind", "amount", "paid_on", "note"]


class DecisionSerializer(serializers.ModelSerializer):
    years = AwardYearSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    awarded_total = serializers.SerializerMethodField()
    paid_total = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "application",
            "outcome",
            "decided_on",
            "number",
            "reason",
            "conditions",
            "closed_on",
            "years",
            "awarded_total",
            "payments",
            "paid_total",
        ]

    def get_awarded_total(self, decision: Decision) -> int:
        return sum(year.amount for year in decision.years.all())

    def get_paid_total(self, decision: Decision) -> int:
        return sum(payment.amount for payment in decision.payments.all())


class ApplicantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class GrantApplicationSerializer(serializers.ModelSerializer):
    program = serializers.IntegerField(source="call.program_id", read_only=True)
    fiscal_year = serializers.IntegerField(source="call.fiscal_year", read_only=True)
    corporation = ApplicantSerializer(read_only=True, allow_null=True)
    network = ApplicantSerializer(read_only=True, allow_null=True)
    theme = CallThemeSerializer(read_only=True, allow_null=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    requested_total = serializers.SerializerMethodField()
    decision = DecisionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "program",
            "fiscal_year",
            "applicant_kind",
            "corporation",
            "network",
            "theme",
            "title",
            "plan",
            "contact_name",
            "contact_email",
            "status",
            "submitted_at",
            "created_at",
            "budget_lines",
            "requested_total",
            "decision",
        ]

    def get_requested_total(self, application: Application) -> int:
        return sum(line.amount for line in application.budget_lines.all())


class BudgetLineInputSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2999)
    category = serializers.CharField(max_length=50)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    amount = serializers.IntegerField(min_value=1)


class GrantApplicationCreateSerializer(serializers.Serializer):
    call = serializers.PrimaryKeyRelatedField(
        queryset=GrantCall.objects.filter(published=True).select_related("program")
    )
    corporation = serializers.PrimaryKeyRelatedField(
        queryset=Corporation.objects.select_related("municipality"),
        required=False,
        allow_null=True,
    )
    network = serializers.PrimaryKeyRelatedField(
        queryset=MunicipalNetwork.objects.all(), required=False, allow_null=True
    )
    theme = serializers.PrimaryKeyRelatedField(
        queryset=Theme.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=200)
    plan = serializers.CharField(required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    budget_lines = BudgetLineInputSerializer(many=True, required=False, default=list)
    submit = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        if (data.get("corporation") is None) == (data.get("network") is None):
            message = _("Give either a corporation or a network.")
            raise ValidationError({"corporation": [message], "network": [message]})
        theme = data.get("theme")
        if theme is not None and theme.prefecture_id != data["call"].program.prefecture_id:
            raise ValidationError({"theme": [_("The theme belongs to another prefecture.")]})
        return data


class DecideSerializer(serializers.Serializer):
    amounts = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=False,
        help_text='{fiscal year: yen}, e.g. {"2019": 200000, "2020": 200000}',
    )
    decided_on = serializers.DateField(required=False)
    number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    decline = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_amounts(self, amounts):
        result = {}
        for key, amount in amounts.items():
            text = str(key).strip()
            if not (text.isdigit() and len(text) == 4):
                raise ValidationError(_("“%(value)s” is not a fiscal year.") % {"value": key})
            result[int(text)] = amount
        return result

    def validate(self, data):
        if data["decline"]:
            if "amounts" in data:
                raise ValidationError({"amounts": [_("A refusal awards no amounts.")]})
            if not data["reason"].strip():
                raise ValidationError({"reason": [_("A refusal gives its reason.")]})
        elif "amounts" not in data:
            raise ValidationError(
                {"amounts": [_("Give the amounts per fiscal year, or decline with a reason.")]}
            )
        return data


RULE_BROKEN = OpenApiResponse(
    inline_serializer(
        "GrantRuleBroken",
        {
            "rule": serializers.CharField(help_text="the code of the rule, e.g. budget"),
            "detail": serializers.CharField(),
        },
    ),
    description="A rule of the program refused the write; nothing was written.",
)


def _rule_broken(error: RuleBroken) -> Response:
    return Response(
        {"rule": error.rule, "detail": error.sentence()}, status=status.HTTP_409_CONFLICT
    )


def _refused(error: DjangoValidationError) -> Response:
    if isinstance(error, RuleBroken):
        return _rule_broken(error)
    raise ValidationError({"detail": error.messages}) from None


def _may_apply_for(user, corporation=None, network=None) -> bool:
    """Corporation staff for their corporation, council staff for a network of their area,
    center staff for an applicant of their prefecture."""
    scope = scope_of(user)
    if scope.sees_everything():
        return True
    if corporation is not None:
        return (
            corporation.pk in scope.corporation_ids
            or corporation.municipality.prefecture_id in scope.prefecture_codes
        )
    if network.prefecture_id in scope.prefecture_codes:
        return True
    if scope.municipality_codes:
        area = network.area.all()
        return (
            area.filter(code__in=scope.municipality_codes).exists()
            or area.filter(parent_id__in=scope.municipality_codes).exists()
        )
    return False


def _applications():
    return (
        Application.objects.select_related("call", "corporation", "network", "theme", "decision")
        .prefetch_related(
            "budget_lines",
            Prefetch("decision__years", queryset=AwardYear.objects.order_by("fiscal_year")),
            Prefetch("decision__payments", queryset=Payment.objects.order_by("paid_on", "pk")),
        )
        .order_by("-created_at", "-id")
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("call", int, description="applications to one call"),
            OpenApiParameter("status", str, description="draft, submitted, awarded, …"),
        ]
    )
)
class GrantApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Grant applications the caller may see, with their budget lines and the decision
    (amounts awarded per fiscal year and payments)."""

    serializer_class = GrantApplicationSerializer
    sasaeai_access = AUTHENTICATED

    def get_queryset(self):
        applications = _applications().filter(
            pk__in=Application.objects.visible_to(self.request.user).values("pk")
        )
        if self.action == "list":
            params = self.request.query_params
            call = params.get("call")
            if call:
                if not call.isdigit():
                    raise ValidationError({"call": [_("Expected the id of a call.")]})
                applications = applications.filter(call_id=int(call))
            if params.get("status"):
                applications = applications.filter(status=params["status"])
        return applications

    @extend_schema(
        request=GrantApplicationCreateSerializer,
        responses={
            201: GrantApplicationSerializer,
            400: OpenApiResponse(description="A field is missing or of the wrong shape."),
            409: RULE_BROKEN,
        },
    )
    def create(self, request, *args, **kwargs):
        incoming = GrantApplicationCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        corporation, network = data.get("corporation"), data.get("network")
        if not _may_apply_for(request.user, corporation=corporation, network=network):
            field = "corporation" if corporation is not None else "network"
            raise ValidationError({field: [_("You cannot apply on behalf of this applicant.")]})
        lines = [
            {
                "fiscal_year": line["fiscal_year"],
                "category": line["category"],
                "description": line.get("description", ""),
                "amount": line["amount"],
            }
            for line in data["budget_lines"]
        ]
        try:
            # All or nothing: a draft refused at its submission is not kept.
            with transaction.atomic():
                application = actions.create_application(
                    call=data["call"],
                    corporation=corporation,
                    network=network,
                    theme=data.get("theme"),
                    title=data["title"],
                    plan=data["plan"],
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"],
                    lines=lines,
                    by=request.user,
                )
                if data["submit"]:
                    application = actions.submit_application(
                        application=application, by=request.user
                    )
        except DjangoValidationError as error:
            return _refused(error)
        except IntegrityError:
            # Two requests for the same applicant at once: the second meets the constraint.
            return Response(
                {
                    "rule": "duplicate",
                    "detail": _("The applicant has already applied to this call."),
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            GrantApplicationSerializer(_applications().get(pk=application.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=DecideSerializer,
        responses={
            201: DecisionSerializer,
            400: OpenApiResponse(description="A field is missing or of the wrong shape."),
            403: OpenApiResponse(description="Only the program's center staff decide."),
            404: OpenApiResponse(description="No such application among those visible."),
            409: RULE_BROKEN,
        },
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None, format=None):
        """交付決定 (``amounts`` per fiscal year) or a refusal (``decline`` and ``reason``)."""
        application = self.get_object()
        if not Application.objects.managed_by(request.user).filter(pk=application.pk).exists():
            raise PermissionDenied(_("Only the center's staff of the program decide."))
        incoming = DecideSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            if data["decline"]:
                decision = actions.decline(
                    application=application,
                    reason=data["reason"],
                    decided_on=data.get("decided_on"),
                    by=request.user,
                )
            else:
                decision = actions.decide(
                    application=application,
                    amounts=data["amounts"],
                    decided_on=data.get("decided_on"),
                    number=data["number"],
                    conditions=data["conditions"],
                    by=request.user,
                )
        except DjangoValidationError as error:
            return _refused(error)
        except IntegrityError:
            # Decided by someone else at the same moment (one decision per application).
            return Response(
                {"rule": "not_submitted", "detail": _("The application is already decided.")},
                status=status.HTTP_409_CONFLICT,
            )
        decision = Decision.objects.prefetch_related("years", "payments").get(pk=decision.pk)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
