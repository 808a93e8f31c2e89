from django import forms

from .models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["date_style"]
        widgets = {"date_style": forms.RadioSelect}
