from django import forms
from django.utils.translation import gettext_lazy as _

from assignment.models import ApiClient, WebhookEndpoint
from assignment.services import outbound


class AppealForm(forms.Form):
    message = forms.CharField(
        label=_("What should your manager look at?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        error_messages={"required": _("Tell your manager why the work should be reviewed.")},
    )


class ApiClientForm(forms.Form):
    name = forms.CharField(max_length=120)
    scopes = forms.MultipleChoiceField(choices=ApiClient.SCOPES, widget=forms.CheckboxSelectMultiple)


def receiver_url_validate(url: str) -> str:
    """A form field's check that the receiver URL does not point inside our network."""
    try:
        outbound.url_check(url)
    except outbound.UnsafeUrl as error:
        raise forms.ValidationError(str(error)) from error
    return url


class EndpointCreateForm(forms.Form):
    url = forms.URLField(max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        choices=WebhookEndpoint.EVENT_TYPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every event type."),
    )

    def clean_url(self) -> str:
        return receiver_url_validate(self.cleaned_data["url"])


class AppealAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("lift", "Lift the suspension"), ("uphold", "Keep the suspension")], widget=forms.RadioSelect
    )
    answer = forms.CharField(
        max_length=1000, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note to the worker")
    )
