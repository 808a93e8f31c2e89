from django import forms
from django.utils.translation import gettext_lazy as _

from sasaeai.core.uploads import CheckedFileField

from .files import MAX_PDF_BYTES
from .models import Newsletter, NewsPost


def pdf_field(model, name: str) -> CheckedFileField:
    """The model's file field as a checked upload of a PDF (its label and help kept)."""
    field = model._meta.get_field(name)
    return CheckedFileField(
        kind="pdf",
        max_bytes=MAX_PDF_BYTES,
        required=not field.blank,
        label=field.verbose_name,
        help_text=field.help_text,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class NewsPostForm(forms.ModelForm):
    attachment = pdf_field(NewsPost, "attachment")

    class Meta:
        model = NewsPost
        fields = ["title", "category", "body", "published_at", "attachment"]
        widgets = {
            "published_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }


class NewsletterForm(forms.ModelForm):
    pdf = pdf_field(Newsletter, "pdf")

    class Meta:
        model = Newsletter
        fields = ["number", "title", "fiscal_year", "published_on", "body", "pdf"]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}),
        }


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
