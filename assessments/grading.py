"""Pure grading functions: each takes a worker's response and the frozen key, returns a fraction 0..1."""

import logging
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from rapidfuzz.distance import Levenshtein

logger = logging.getLogger(__name__)
_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Case-folded, accents kept, punctuation dropped, runs of white space made single."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def normalise_transcript(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return _SPACES.sub(" ", text).strip()


def f1(predicted: set[str], gold: set[str]) -> float:
    """F1 of two label sets; two empty sets agree perfectly."""
    if not predicted and not gold:
        return 1.0
    true_positive = len(predicted & gold)
    if true_positive == 0:
        return 0.0
    precision = true_positive / len(predicted)
    recall = true_positive / len(gold)
    return 2 * precision * recall / (precision + recall)


def iou(box: tuple[float, float, float, float], gold: tuple[float, float, float, float]) -> float:
    """Intersection over union of two (x, y, width, height) boxes; degenerate boxes give 0."""
    x1, y1, w1, h1 = box
    x2, y2, w2, h2 = gold
    if min(w1, h1, w2, h2) <= 0:
        return 0.0
    overlap_w = max(0.0, min(x1 + w1, x2 + w2) - max(x1, x2))
    overlap_h = max(0.0, min(y1 + h1, y2 + h2) - max(y1, y2))
    intersection = overlap_w * overlap_h
    union = w1 * h1 + w2 * h2 - intersection
    return intersection / union if union > 0 else 0.0


def cer(hypothesis: str, reference: str) -> float:
    """Character error rate of a transcript against the gold one (edits / gold length)."""
    hypothesis, reference = normalise_transcript(hypothesis), normalise_transcript(reference)
    if not reference:
        return 0.0 if not hypothesis else 1.0
    return Levenshtein.distance(hypothesis, reference) / len(reference)


# Numbers a person types: twelve digits either side of the point is plenty; 1E999999999 is not an answer.
MAX_NUMBER_DIGITS = 12


def to_decimal(value) -> Decimal | None:
    """The number in a typed answer (a comma reads as a point), or None when it is not a usable number."""
    text = str(value).strip().replace(",", ".")
    if len(text) > 40:
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or (number and abs(number.adjusted()) > MAX_NUMBER_DIGITS):
        return None
    return number


def grade(kind: str, response, key: dict) -> float:
    """The fraction of the points a response earns, by question kind."""
    if response in (None, "", [], {}):
        return 0.0
    try:
        return _GRADERS[kind](response, key)
    except (ArithmeticError, ValueError, TypeError, KeyError):
        # An answer (or a key) the arithmetic cannot take is not right; it never stops the grading.
        logger.warning("grading a %s answer failed; counted as wrong", kind, exc_info=True)
        return 0.0


def _choice(response, key) -> float:
    return 1.0 if response == key["correct"][0] else 0.0


def _multiple(response, key) -> float:
    return 1.0 if set(response) == set(key["correct"]) else 0.0


def _numeric(response, key) -> float:
    number = to_decimal(response)
    if number is None:
        return 0.0
    return 1.0 if abs(number - Decimal(key["answer"])) <= Decimal(key["tolerance"]) else 0.0


def _short_text(response, key) -> float:
    return 1.0 if normalise_text(response) in {normalise_text(a) for a in key["accepted"]} else 0.0


def _tagging(response, key) -> float:
    score = f1(set(response), set(key["gold_labels"]))
    return score if score >= key["min_f1"] else 0.0


def _box(response, key) -> float:
    overlap = iou(tuple(response), tuple(key["gold_box"]))
    return 1.0 if overlap >= key["min_iou"] else 0.0


def _transcription(response, key) -> float:
    return 1.0 if cer(response, key["gold_text"]) <= key["max_cer"] else 0.0


_GRADERS = {
    "single": _choice,
    "true_false": _choice,
    "multiple": _multiple,
    "numeric": _numeric,
    "short_text": _short_text,
    "image_tagging": _tagging,
    "bounding_box": _box,
    "transcription": _transcription,
}
