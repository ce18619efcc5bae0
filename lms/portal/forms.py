from django import forms
from django.utils.translation import gettext_lazy as _

from lms.models import MAX_WEEKLY_GOAL, MIN_WEEKLY_GOAL


class GoalForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Weekly learning goal (minutes)"), min_value=MIN_WEEKLY_GOAL, max_value=MAX_WEEKLY_GOAL
    )


class WorkerGoalForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("This worker's weekly goal (minutes; empty: the team's)"),
        required=False,
        min_value=MIN_WEEKLY_GOAL,
        max_value=MAX_WEEKLY_GOAL,
    )


class DecisionForm(forms.Form):
    level = forms.IntegerField(widget=forms.HiddenInput)  # the level the manager saw the worker ready for
    note = forms.CharField(
        label=_("Note to the worker"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
