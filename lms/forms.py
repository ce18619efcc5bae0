from django import forms


class ReasonForm(forms.Form):
    """Why an admin takes a recorded action (revoke, regrade, lift): kept with the record."""

    reason = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
