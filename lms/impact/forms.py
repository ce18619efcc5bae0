from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.impact.data import Filters
from lms.impact.report import MAX_DAYS, default_filters


class ImpactFilterForm(forms.Form):
    """The report's filters, each bounded: a period of at most three years from the records' start."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    site = forms.ChoiceField(label=_("Site"), required=False)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    language = forms.ChoiceField(label=_("Language"), required=False)
    cohort = forms.CharField(
        label=_("Joined in (month)"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"}),
    )

    def __init__(self, *args, sites: list[str], teams: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["site"].choices = everyone + [(site, site) for site in sites]
        self.fields["team"].choices = everyone + [(str(pk), name) for pk, name in teams]
        self.fields["language"].choices = everyone + list(settings.LANGUAGES)

    def clean_cohort(self) -> date | None:
        value = self.cleaned_data["cohort"]
        if not value:
            return None
        try:
            return date.fromisoformat(f"{value}-01")
        except ValueError:
            raise forms.ValidationError(_("Write the month as YYYY-MM, e.g. 2026-03.")) from None

    def clean(self) -> dict:
        data = super().clean()
        default = default_filters()
        start, end = data.get("start") or default.start, data.get("end") or default.end
        first, last = (
            date.fromisoformat(settings.LADDER_RECORDS_START),
            timezone.localdate() + timedelta(days=366),
        )
        if "start" in data and not first <= start <= last:
            self.add_error(
                "start", _("Choose a day between %(first)s and %(last)s.") % {"first": first, "last": last}
            )
        if "end" in data and not first <= end <= last:
            self.add_error(
                "end", _("Choose a day between %(first)s and %(last)s.") % {"first": first, "last": last}
            )
        if start > end:
            self.add_error("end", _("The end comes before the start."))
        elif (end - start).days > MAX_DAYS:
            self.add_error("end", _("Choose a period of three years or less."))
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            start=data["start"],
            end=data["end"],
            site=data.get("site") or "",
            team_id=data.get("team"),
            language=data.get("language") or "",
            cohort=data.get("cohort"),
        )
