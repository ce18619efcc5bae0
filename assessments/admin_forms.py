from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from assessments.models import BankQuestion

Kind = BankQuestion.Kind
PARTS = ("x", "y", "w", "h")


class GoldBoxWidget(forms.MultiWidget):
    """Four percent fields; with the question's picture saved, the author can draw the box on it."""

    template_name = "assessments/widgets/gold_box.html"

    class Media:
        js = ["js/bbox.js"]
        css = {"all": ["css/admin-bbox.css"]}

    def __init__(self, attrs=None):
        widgets = [
            forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "100", "data-part": part})
            for part in PARTS
        ]
        super().__init__(widgets, attrs)
        self.image_url = ""

    def decompress(self, value):
        return [round(v * 100, 2) for v in value] if value else [None] * 4

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["image_url"] = self.image_url
        context["labels"] = ["Left %", "Top %", "Width %", "Height %"]
        return context


class GoldBoxField(forms.MultiValueField):
    widget = GoldBoxWidget

    def __init__(self, **kwargs):
        fields = [forms.FloatField(min_value=0, max_value=100, required=False) for _ in PARTS]
        kwargs.setdefault("required", False)
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or all(v is None for v in data_list):
            return None
        if any(v is None for v in data_list):
            raise ValidationError(_("Give all four numbers, or draw the box on the picture."))
        x, y, w, h = (v / 100 for v in data_list)
        if w <= 0 or h <= 0 or x + w > 1.0001 or y + h > 1.0001:
            raise ValidationError(_("The box must have a width and a height and stay inside the picture."))
        return [round(v, 5) for v in (x, y, w, h)]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class BankQuestionForm(WagtailAdminModelForm):
    gold_box = GoldBoxField(
        label=_("Gold box"), help_text=_("Draw it on the picture (after saving the picture) or type it.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        image = self.instance.image if self.instance.pk and self.instance.image_id else None
        if image and "gold_box" in self.fields:
            self.fields["gold_box"].widget.image_url = image.get_rendition("width-720").url

    def clean(self):
        data = super().clean()
        for field, message in self._kind_errors(data):
            self.add_error(field, message)
        return data

    def _kind_errors(self, data: dict):
        kind = data.get("kind")
        choices = [block.value for block in data.get("choices") or []]
        correct = sum(1 for choice in choices if choice.get("correct"))
        if kind == Kind.SINGLE and (len(choices) < 2 or correct != 1):
            yield "choices", "A single-choice question needs at least two choices and exactly one right one."
        if kind == Kind.MULTIPLE and (len(choices) < 2 or correct < 1):
            yield (
                "choices",
                "A multiple-select question needs at least two choices and one or more right ones.",
            )
        if kind == Kind.TRUE_FALSE and data.get("true_false_answer") is None:
            yield "true_false_answer", "Say whether the statement is true or false."
        if kind == Kind.NUMERIC and data.get("numeric_answer") is None:
            yield "numeric_answer", "Give the right number."
        if kind in (Kind.SHORT_TEXT, Kind.TRANSCRIPTION) and not _lines(data.get("accepted_answers")):
            yield "accepted_answers", "Give the right answer (one a line) or the gold transcript."
        if kind == Kind.IMAGE_TAGGING:
            labels, gold = set(_lines(data.get("labels"))), set(_lines(data.get("gold_labels")))
            if not labels or not gold <= labels:
                yield "gold_labels", "List the labels, and pick the right ones from that list."
        if kind in (Kind.IMAGE_TAGGING, Kind.BOUNDING_BOX) and not data.get("image"):
            yield "image", "This practical check needs a picture."
        if kind == Kind.BOUNDING_BOX and not data.get("gold_box"):
            yield "gold_box", "Draw or type the right box."
