from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import translation

from lms.languages import language_supported
from lms.models import WorkerProfile


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
