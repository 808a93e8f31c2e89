"""Forms of the grant cycle. Amounts of yen are typed as text (``200,000``, ``２０００００円``)
and read by ``rules.parse_yen`` inside the actions, so that a refusal names its line and its
rule; the forms only shape what was typed."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sasaeai.core.dates import fiscal_year_label
from sasaeai.core.forms import JapaneseDateField
from sasaeai.core.uploads import DOCUMENT_MAX_BYTES, CheckedFileField

from . import rules
from .models import ApplicantKind, GrantProgram, GrantReport, Payment

DATE_HELP = _("e.g. 2019-06-15 or R1.6.15")
YEN_HELP = _("Yen, e.g. 200,000")


def _year_choices(years) -> list[tuple[str, str]]:
    return [(str(y), fiscal_year_label(y, style="wareki") + f"（{y}）") for y in years]


def _yen_input(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **attrs})


# Programs and calls ---------------------------------------------------------------------------


class YenField(forms.CharField):
    """A yen amount typed as staff type it; empty is None. Reading it is ``parse_yen``'s."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _yen_input())
        kwargs.setdefault("help_text", YEN_HELP)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        try:
            return rules.parse_yen(value, field=str(self.label))
        except rules.RuleBroken as error:
            raise ValidationError(error.sentence(), code=error.rule) from None


class ProgramForm(forms.Form):
    """A program's rules, as data."""

    name = forms.CharField(label=_("name"), max_length=200)
    purpose = forms.CharField(
        label=_("purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    eligible_kinds = forms.MultipleChoiceField(
        label=_("eligible applicants"),
        choices=ApplicantKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    members_only = forms.BooleanField(label=_("member corporations only"), required=False)
    cap_per_year = YenField(
        label=_("cap per applicant and fiscal year (yen)"), required=False, max_length=20
    )
    cap_total = YenField(
        label=_("cap per applicant over the term (yen)"), required=False, max_length=20
    )
    max_years = forms.IntegerField(label=_("fiscal years at most"), min_value=1, max_value=10)
    max_sites_per_theme = forms.IntegerField(
        label=_("sites per theme in one call at most"), min_value=1, required=False
    )
    requires_theme = forms.BooleanField(label=_("an application names a theme"), required=False)
    expense_categories = forms.CharField(
        label=_("eligible expense categories"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One a line."),
    )
    active = forms.BooleanField(label=_("in use"), required=False)

    FIELDS = (
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
    )

    @classmethod
    def initial_of(cls, program: GrantProgram) -> dict:
        initial = {name: getattr(program, name) for name in cls.FIELDS}
        initial["expense_categories"] = "\n".join(program.expense_categories or [])
        for name in ("cap_per_year", "cap_total"):
            if initial[name] is not None:
                initial[name] = f"{initial[name]:,}"
        return initial

    def clean_expense_categories(self):
        lines = self.cleaned_data["expense_categories"].splitlines()
        categories = []
        for line in lines:
            line = line.strip()
            if line and line not in categories:
                categories.append(line[:50])
        if not categories:
            raise ValidationError(_("Name at least one expense category."))
        return categories

    def program_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class BudgetForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("fiscal year"), min_value=2000, max_value=2100)
    amount = forms.CharField(label=_("budget (yen)"), max_length=20, widget=_yen_input())


class CallForm(forms.Form):
    program = forms.ModelChoiceField(label=_("program"), queryset=GrantProgram.objects.none())
    fiscal_year = forms.IntegerField(label=_("fiscal year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(
        label=_("how to apply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What to send, to whom, and how the applications are screened."),
    )
    opens_on = JapaneseDateField(label=_("opens on"), help_text=DATE_HELP)
    closes_on = JapaneseDateField(label=_("closes on"), help_text=DATE_HELP)
    themes = forms.ModelMultipleChoiceField(
        label=_("themes"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, programs, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["themes"].queryset = themes


# Applications ---------------------------------------------------------------------------------


class ApplicationForm(forms.Form):
    applicant = forms.ChoiceField(label=_("applicant"))
    title = forms.CharField(label=_("title of the project"), max_length=200)
    theme = forms.ModelChoiceField(label=_("theme"), queryset=None, required=False)
    plan = forms.CharField(
        label=_("plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you will do, for whom, where, when, and with whom."),
    )
    contact_name = forms.CharField(label=_("contact person"), max_length=100, required=False)
    contact_email = forms.EmailField(label=_("contact email"), required=False)

    def __init__(self, *args, call, applicants=None, **kwargs):
        super().__init__(*args, **kwargs)
        if applicants is None:
            del self.fields["applicant"]
        else:
            self.fields["applicant"].choices = applicants
        themes = call.themes.all()
        if themes:
            self.fields["theme"].queryset = themes
            self.fields["theme"].required = call.program.requires_theme
        else:
            del self.fields["theme"]

    def application_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "title": data["title"],
            "plan": data["plan"],
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"],
        }
        if "theme" in self.fields:
            fields["theme"] = data["theme"]
        return fields


class BudgetLineForm(forms.Form):
    """One line of the budget; every field optional here, so that the rules name what is
    missing in a line that was started."""

    fiscal_year = forms.ChoiceField(label=_("fiscal year"), required=False)
    category = forms.ChoiceField(label=_("expense category"), required=False)
    description = forms.CharField(label=_("description"), max_length=200, required=False)
    amount = forms.CharField(
        label=_("amount (yen)"), max_length=30, required=False, widget=_yen_input(size=12)
    )

    def __init__(self, *args, years=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = _year_choices(years)
        self.fields["category"].choices = [("", "—"), *((c, c) for c in categories)]

    def is_blank(self) -> bool:
        """Nothing typed but the fiscal year (a select always sends one)."""
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(
            (data.get(name) or "").strip() for name in ("category", "description", "amount")
        )


class BaseBudgetFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The lines that were started, as the actions read them (amounts as typed). A line
        is kept whether or not it changed, so that saving a draft keeps its unchanged lines."""
        return [
            {
                "fiscal_year": form.cleaned_data.get("fiscal_year", ""),
                "category": form.cleaned_data.get("category", ""),
                "description": form.cleaned_data.get("description", ""),
                "amount": form.cleaned_data.get("amount", ""),
            }
            for form in self.forms
            if not form.is_blank()
        ]


def budget_formset(*, program, years, data=None, initial=None, blank_lines: int = 3):
    """The budget lines of an application: ``initial`` (the saved lines) and a few blank ones."""
    # Bound, the lines are what was posted: without ``initial``, no unchanged line is dropped
    # as "empty" (Django skips unchanged extra forms).
    initial = [] if data is not None else list(initial or [])
    formset_class = forms.formset_factory(
        BudgetLineForm,
        formset=BaseBudgetFormSet,
        extra=blank_lines,
        max_num=40,
        absolute_max=40,
    )
    return formset_class(
        data,
        initial=initial,
        prefix="lines",
        form_kwargs={"years": list(years), "categories": program.expense_categories or []},
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    file = CheckedFileField(kind="document", max_bytes=DOCUMENT_MAX_BYTES, label=_("file"))


# Screening ------------------------------------------------------------------------------------


class ReviewerForm(forms.Form):
    login = forms.CharField(
        label=_("user name or email of the reviewer"),
        max_length=254,
        help_text=_("The reviewer needs an account."),
    )

    def clean_login(self):
        from django.contrib.auth import get_user_model

        value = self.cleaned_data["login"].strip()
        users = get_user_model().objects.filter(is_active=True)
        user = users.filter(username=value).first() or users.filter(email__iexact=value).first()
        if user is None:
            raise ValidationError(_("No active user with this user name or email."))
        return user


SCORES = [(n, str(n)) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("score (5 = excellent)"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("reason of the conflict of interest"), max_length=300)


# Decisions ------------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    """Amounts per fiscal year (prefilled with what was asked for), the date, the document
    number and the conditions of the award."""

    decided_on = JapaneseDateField(label=_("decided on"), help_text=DATE_HELP)
    number = forms.CharField(label=_("document number"), max_length=50, required=False)
    conditions = forms.CharField(
        label=_("conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        for year in self.years:
            self.fields[f"amount_{year}"] = forms.CharField(
                label=_("%(year)s awarded (yen)")
                % {"year": fiscal_year_label(year, style="wareki")},
                required=False,
                max_length=30,
                widget=_yen_input(),
            )
        self.order_fields([f"amount_{y}" for y in self.years])

    def amount_fields(self):
        return [self[f"amount_{y}"] for y in self.years]

    def amounts(self) -> dict[int, str]:
        """{fiscal year: yen as typed}; years left empty are not awarded."""
        return {
            year: self.cleaned_data[f"amount_{year}"].strip()
            for year in self.years
            if self.cleaned_data.get(f"amount_{year}", "").strip()
        }


class DeclineForm(forms.Form):
    decided_on = JapaneseDateField(label=_("decided on"), help_text=DATE_HELP)
    reason = forms.CharField(
        label=_("reason for not awarding"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PaymentForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("fiscal year"), coerce=int)
    kind = forms.ChoiceField(label=_("kind"), choices=Payment.Kind.choices)
    amount = forms.CharField(label=_("amount (yen)"), max_length=30, widget=_yen_input())
    paid_on = JapaneseDateField(label=_("payment date"), help_text=DATE_HELP)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = _year_choices(years)


class ReportDueForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=GrantReport.Kind.choices)
    fiscal_year = forms.TypedChoiceField(label=_("fiscal year"), coerce=int)
    due_on = JapaneseDateField(label=_("due on"), help_text=DATE_HELP)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = _year_choices(years)


class ReportForm(forms.Form):
    text = forms.CharField(label=_("report"), widget=forms.Textarea(attrs={"rows": 8}))
    spent = forms.CharField(
        label=_("spent (yen)"),
        max_length=30,
        required=False,
        widget=_yen_input(),
        help_text=_("A final report states the amount spent."),
    )


class DateForm(forms.Form):
    """One date: a grant's closing day, the day a refund came back."""

    on = JapaneseDateField(label=_("date"), help_text=DATE_HELP)


class AmendmentForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        for year in self.years:
            self.fields[f"amount_{year}"] = forms.CharField(
                label=_("%(year)s amount (yen)")
                % {"year": fiscal_year_label(year, style="wareki")},
                required=False,
                max_length=30,
                widget=_yen_input(),
            )
        self.order_fields([f"amount_{y}" for y in self.years])

    def amounts(self) -> dict[int, str]:
        return {
            year: self.cleaned_data[f"amount_{year}"].strip()
            for year in self.years
            if self.cleaned_data.get(f"amount_{year}", "").strip()
        }


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=300, required=False)
