import re

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lms.languages import language_supported
from lms.models import WorkerFacts, WorkerProfile


class ReasonForm(forms.Form):
    """Why an admin takes a recorded action (revoke, regrade, lift): kept with the record."""

    reason = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, with the email written in the account's language: a worker's profile
    language, else the language the page was asked in."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        profile = WorkerProfile.objects.filter(user=context["user"]).only("language").first()
        language = language_supported(profile.language) if profile else translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class WorkerFactsForm(forms.ModelForm):
    """The impact questions, each optional: asked only after the worker has agreed to answer them."""

    class Meta:
        model = WorkerFacts
        fields = ["gender", "gender_described", "employment_before", "income_before", "income_currency"]
        labels = {
            "gender": _("Gender"),
            "gender_described": _("In your own words"),
            "employment_before": _("Before you joined, you were"),
            "income_before": _("Your monthly income before you joined"),
            "income_currency": _("Currency of that income"),
        }
        help_texts = {
            "income_before": _("Leave it empty if you prefer not to say."),
            "income_currency": _("Three letters, e.g. MGA, INR, USD."),
        }
        widgets = {
            "gender": forms.RadioSelect,
            "employment_before": forms.RadioSelect,
            "income_currency": forms.TextInput(attrs={"maxlength": 3, "autocapitalize": "characters"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("gender", "employment_before"):
            self.fields[name].choices = [("", _("I prefer not to answer")), *self.fields[name].choices[1:]]
            self.fields[name].required = False

    def clean_income_currency(self) -> str:
        currency = self.cleaned_data.get("income_currency", "").strip().upper()
        if currency and not re.fullmatch(r"[A-Z]{3}", currency):
            raise forms.ValidationError(_("Write the currency as three letters, e.g. MGA."))
        return currency

    def clean(self) -> dict:
        data = super().clean()
        if data.get("income_before") is not None and not data.get("income_currency"):
            self.add_error("income_currency", _("Say which currency the income was in."))
        return data
