from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import QUESTION_MAX_LENGTH


class QuestionForm(forms.Form):
    # The lesson page keeps a blank form's field rendered (`{% kept … version=question_form_kept %}`): it
    # is the same for every worker of a language. A form holding a worker's words or errors is not kept.
    BLANK = "blank"

    text = forms.CharField(
        label=_("Your question"),
        min_length=5,
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": QUESTION_MAX_LENGTH}),
        help_text=_("Ask about this lesson. A learning assistant will answer."),
        error_messages={
            "required": _("Write your question first."),
            "min_length": _("Please write a little more (at least %(limit_value)d letters)."),
            "max_length": (
                _("Please keep it shorter (at most %(limit_value)d letters; you wrote %(show_value)d).")
            ),
        },
    )


class FAQSearchForm(forms.Form):
    q = forms.CharField(label=_("Search help"), max_length=100, required=False)


class PromoteForm(forms.Form):
    title = forms.CharField(
        label=_("FAQ question"),
        max_length=255,
        help_text=_("Reword the worker's question so others find it."),
    )
