"""Freezing a bank question into an attempt: what the worker sees, and the key kept from them."""

import random
import secrets

from assessments.models import BankQuestion

Kind = BankQuestion.Kind


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _media(question: BankQuestion) -> dict:
    return {
        "prompt": question.prompt,
        "image_id": question.image_id,
        "audio_url": question.audio.url if question.audio_id else None,
    }


def _choices(question: BankQuestion, rng: random.Random, shuffle: bool) -> tuple[list, dict]:
    visible, correct, feedback, blocks = [], [], {}, {}
    for block in question.choices:
        choice_id = secrets.token_hex(4)
        visible.append({"id": choice_id, "text": block.value["text"]})
        blocks[choice_id] = block.id  # the bank's stable id for the choice: a regrade matches by it
        if block.value["correct"]:
            correct.append(choice_id)
        if block.value.get("feedback"):
            feedback[choice_id] = block.value["feedback"]
    if shuffle:
        rng.shuffle(visible)
    return visible, {"correct": correct, "feedback": feedback, "blocks": blocks}


def freeze(question: BankQuestion, *, rng: random.Random, shuffle: bool) -> tuple[dict, dict]:
    """(content, key) for one question; content holds only allow-listed, answer-free fields."""
    content = _media(question)
    key: dict = {"explanation": question.explanation}
    kind = question.kind
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        content["choices"], choice_key = _choices(question, rng, shuffle)
        key.update(choice_key)
    elif kind == Kind.TRUE_FALSE:
        content["choices"] = [{"id": "true", "text": "True"}, {"id": "false", "text": "False"}]
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
        return ", ".join(response)
    if kind == Kind.BOUNDING_BOX:
        x, y, w, h = (round(100 * v) for v in response)
        return f"left {x}%, top {y}%, width {w}%, height {h}%"
    return str(response)


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
        return ", ".join(key["gold_labels"])
    if kind == Kind.BOUNDING_BOX:
        x, y, w, h = (round(100 * v) for v in key["gold_box"])
        return f"left {x}%, top {y}%, width {w}%, height {h}%"
    return key.get("gold_text", "")
