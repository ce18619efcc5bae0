"""Freezing a bank question into an attempt: what the worker sees, and the key kept from them.

The words are frozen in the attempt's language (each segment's translation when it translates the
current source text, else the source); what grading reads — choice ids, the bank's labels, the gold
box — is the same in every language, so an answer is marked alike whatever language it was read in.
"""

import random
import secrets

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from assessments.models import BankQuestion

Kind = BankQuestion.Kind


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _media(question: BankQuestion, language: str) -> dict:
    prompt, prompt_language = question.text_in("prompt", question.prompt, language)
    return {
        "prompt": prompt,
        "language": prompt_language,
        "image_id": question.image_id,
        "audio_url": question.audio.url if question.audio_id else None,
    }


def _choices(question: BankQuestion, rng: random.Random, shuffle: bool, language: str) -> tuple[list, dict]:
    visible, correct, feedback, blocks = [], [], {}, {}
    for block in question.choices:
        choice_id = secrets.token_hex(4)
        text = question.text_in(f"choice:{block.id}", block.value["text"], language)[0]
        visible.append({"id": choice_id, "text": text})
        blocks[choice_id] = block.id  # the bank's stable id for the choice: a regrade matches by it
        if block.value["correct"]:
            correct.append(choice_id)
        if block.value.get("feedback"):
            feedback[choice_id] = question.text_in(f"feedback:{block.id}", block.value["feedback"], language)[
                0
            ]
    if shuffle:
        rng.shuffle(visible)
    return visible, {"correct": correct, "feedback": feedback, "blocks": blocks}


def freeze(
    question: BankQuestion, *, rng: random.Random, shuffle: bool, language: str = settings.LANGUAGE_CODE
) -> tuple[dict, dict]:
    """(content, key) for one question in `language`; content holds only allow-listed, answer-free
    fields."""
    content = _media(question, language)
    key: dict = {"explanation": question.text_in("explanation", question.explanation, language)[0]}
    kind = question.kind
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        content["choices"], choice_key = _choices(question, rng, shuffle, language)
        key.update(choice_key)
    elif kind == Kind.TRUE_FALSE:
        with translation.override(language):
            content["choices"] = [
                {"id": "true", "text": gettext("True")},
                {"id": "false", "text": gettext("False")},
            ]
        key.update(correct=["true" if question.true_false_answer else "false"], feedback={})
    elif kind == Kind.NUMERIC:
        key.update(answer=str(question.numeric_answer), tolerance=str(question.numeric_tolerance))
    elif kind == Kind.SHORT_TEXT:
        key.update(accepted=_lines(question.accepted_answers))
    elif kind == Kind.IMAGE_TAGGING:
        labels = _lines(question.labels)
        if shuffle:
            rng.shuffle(labels)
        content["labels"] = labels
        # A label is answered by its source text (what the gold labels name); only its words change.
        content["label_text"] = {
            label: text
            for label in labels
            if (text := question.text_in(f"label:{label}", label, language)[0]) != label
        }
        key.update(gold_labels=_lines(question.gold_labels), min_f1=question.min_f1)
    elif kind == Kind.BOUNDING_BOX:
        key.update(gold_box=[float(v) for v in question.gold_box], min_iou=question.min_iou)
    elif kind == Kind.TRANSCRIPTION:
        key.update(gold_text=question.accepted_answers.strip(), max_cer=question.max_cer)
    return content, key


def response_text(kind: str, content: dict, response) -> str:
    """What the worker answered, in words, for the result page."""
    if response in (None, "", []):
        return "No answer"
    if kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE):
        by_id = {choice["id"]: choice["text"] for choice in content["choices"]}
        chosen = response if isinstance(response, list) else [response]
        return ", ".join(by_id.get(c, "?") for c in chosen)
    if kind == Kind.IMAGE_TAGGING:
        return ", ".join(label_text(content, label) for label in response)
    if kind == Kind.BOUNDING_BOX:
        x, y, w, h = (round(100 * v) for v in response)
        return f"left {x}%, top {y}%, width {w}%, height {h}%"
    return str(response)


def label_text(content: dict, label: str) -> str:
    """A tag label in the words of the attempt's language."""
    return content.get("label_text", {}).get(label, label)


def correct_answer_text(kind: str, content: dict, key: dict) -> str:
    """The right answer in words, for the result page when the policy allows it."""
    if kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE):
        by_id = {choice["id"]: choice["text"] for choice in content["choices"]}
        return ", ".join(by_id[c] for c in key["correct"] if c in by_id)
    if kind == Kind.NUMERIC:
        tolerance = key["tolerance"].rstrip("0").rstrip(".") if "." in key["tolerance"] else key["tolerance"]
        answer = key["answer"].rstrip("0").rstrip(".") if "." in key["answer"] else key["answer"]
        return answer if tolerance in ("0", "") else f"{answer} (± {tolerance})"
    if kind == Kind.SHORT_TEXT:
        return " / ".join(key["accepted"])
    if kind == Kind.IMAGE_TAGGING:
        return ", ".join(label_text(content, label) for label in key["gold_labels"])
    if kind == Kind.BOUNDING_BOX:
        x, y, w, h = (round(100 * v) for v in key["gold_box"])
        return f"left {x}%, top {y}%, width {w}%, height {h}%"
    return key.get("gold_text", "")
