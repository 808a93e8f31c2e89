from django import forms
from django.utils.translation import gettext_lazy as _

from sasaeai.core.forms import JapaneseDateField

from .models import Measure, PlanPillar, Target


class AsOfForm(forms.Form):
    as_of = JapaneseDateField(
        label=_("as of"), required=False, help_text=_("e.g. 2019-03-31 or H31.3.31")
    )


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = [
            "pillar",
            "measure",
            "kpi_code",
            "label",
            "value",
            "deadline",
            "baseline_on",
            "source",
            "is_public",
            "order",
        ]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        from sasaeai.core import kpis

        self.instance.plan = plan
        self.fields["pillar"].queryset = PlanPillar.objects.filter(plan=plan)
        self.fields["measure"].queryset = Measure.objects.filter(pillar__plan=plan)
        self.fields["kpi_code"].widget = forms.Select(
            choices=[(k.code, f"{k.code} — {k.label}") for k in kpis.registered()]
        )
