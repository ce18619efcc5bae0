from django import forms
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from assessments.models import AttemptQuestion, BankQuestion, SkillBadge
from assessments.services.banks import MAX_GIFT_BYTES
from lms.forms import ReasonForm
from lms.models import WorkerProfile

Kind = BankQuestion.Kind
BOX_FIELDS = ("x", "y", "w", "h")


def responses_from_post(questions: list[AttemptQuestion], data: QueryDict) -> dict[int, object]:
    """Raw answers by question position from a submitted attempt form; absent questions are left out.

    Checkbox groups carry a hidden `qN_present` field so that unticking every box is an answer too.
    """
    responses: dict[int, object] = {}
    for question in questions:
        name = f"q{question.position}"
        if question.kind in (Kind.MULTIPLE, Kind.IMAGE_TAGGING):
            if f"{name}_present" in data or name in data:
                responses[question.position] = data.getlist(name)
        elif question.kind == Kind.BOUNDING_BOX:
            if any(f"{name}_{part}" in data for part in BOX_FIELDS):
                responses[question.position] = [data.get(f"{name}_{part}", "") for part in BOX_FIELDS]
        elif name in data:
            responses[question.position] = data.get(name)
    return responses


class GiftUploadForm(forms.Form):
    file = forms.FileField(label=_("GIFT file"), help_text=_("A .gift or .txt file in UTF-8, at most 2 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_GIFT_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error


class ManualAwardForm(ReasonForm):
    worker = forms.ModelChoiceField(queryset=WorkerProfile.objects.select_related("user"))
    badge = forms.ModelChoiceField(queryset=SkillBadge.objects.all())
    field_order = ["worker", "badge", "reason"]


MAX_CREDENTIAL_BYTES = 1024 * 1024


class CredentialVerifyForm(forms.Form):
    """A credential file (JSON, JWT or a baked PNG) or pasted text, and optionally whose it should be."""

    file = forms.FileField(label=_("Credential file (JSON, JWT or badge picture)"), required=False)
    pasted = forms.CharField(
        label=_("Or paste the credential (JSON or JWT)"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    person = forms.CharField(
        label=_("Email address or DID of the person (optional)"), required=False, max_length=300
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_CREDENTIAL_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; a credential file is at most 1 MB.")
                % {"size": number_format(upload.size / 1024 / 1024, 1)}
            )
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not data.get("pasted", "").strip():
            raise forms.ValidationError(_("Choose a credential file or paste a credential."))
        return data


class WalletForm(forms.Form):
    did = forms.CharField(label=_("Your wallet's DID"), required=False, max_length=300)
