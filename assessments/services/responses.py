"""Reading a worker's answer for one frozen question: the same rules on the page, htmx and any other path."""

from django.utils.translation import gettext as _

from assessments.grading import to_decimal
from assessments.models import AttemptQuestion, BankQuestion

Kind = BankQuestion.Kind
MAX_TEXT = {Kind.SHORT_TEXT: 200, Kind.TRANSCRIPTION: 2000, Kind.NUMERIC: 40}


class InvalidResponse(ValueError):
    pass


def _choice_ids(question: AttemptQuestion) -> set[str]:
    return {choice["id"] for choice in question.content.get("choices", [])}


def _box(raw) -> list[float]:
    try:
        x, y, w, h = (float(v) / 100 for v in raw)
    except (TypeError, ValueError) as error:
        raise InvalidResponse(_("Enter the box as four numbers (percent of the picture).")) from error
    if not (0 <= x <= 1 and 0 <= y <= 1 and 0 < w <= 1 and 0 < h <= 1) or x + w > 1.0001 or y + h > 1.0001:
        raise InvalidResponse(_("The box must be inside the picture, with a width and a height."))
    return [round(v, 5) for v in (x, y, w, h)]


def clean_response(question: AttemptQuestion, raw):
    """The stored form of a raw answer (None when left empty); InvalidResponse when it cannot be read."""
    kind = question.kind
    if raw in (None, "", [], ()) or (isinstance(raw, list | tuple) and all(v in ("", None) for v in raw)):
        return None
    if kind in (Kind.SINGLE, Kind.TRUE_FALSE):
        if not isinstance(raw, str) or raw not in _choice_ids(question):
            raise InvalidResponse(_("Choose one of the answers shown."))
        return raw
    if kind == Kind.MULTIPLE:
        chosen = [raw] if isinstance(raw, str) else list(raw)
        if not set(chosen) <= _choice_ids(question):
            raise InvalidResponse(_("Choose only from the answers shown."))
        return sorted(set(chosen))
    if kind == Kind.IMAGE_TAGGING:
        chosen = [raw] if isinstance(raw, str) else list(raw)
        if not set(chosen) <= set(question.content["labels"]):
            raise InvalidResponse(_("Choose only labels from the list."))
        return sorted(set(chosen))
    if kind == Kind.BOUNDING_BOX:
        return _box(raw)
    if not isinstance(raw, str):
        raise InvalidResponse(_("Type your answer."))
    if len(raw) > MAX_TEXT[kind]:
        raise InvalidResponse(_("Please keep it under %(limit)s characters.") % {"limit": MAX_TEXT[kind]})
    if kind == Kind.NUMERIC and to_decimal(raw) is None:
        raise InvalidResponse(_("Enter a number, for example 12 or 3.5."))
    return raw.strip()
