from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Newsletter, NewsPost


class NewsPostForm(forms.ModelForm):
    class Meta:
        model = NewsPost
        fields = ["title", "category", "body", "published_at", "attachment"]
        widgets = {
            "published_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "attachment": forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        }


class NewsletterForm(forms.ModelForm):
    class Meta:
        model = Newsletter
        fields = ["number", "title", "fiscal_year", "published_on", "body", "pdf"]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}),
            "pdf": forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        }


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
