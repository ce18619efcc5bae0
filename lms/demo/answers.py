"""Answers for the demo's history: what a worker who knows (or guesses) would send for a frozen question."""

import random

from assessments.models import Attempt, BankQuestion

Kind = BankQuestion.Kind


def right_answer(question) -> object:
    key, kind = question.key, question.kind
    if kind in (Kind.SINGLE, Kind.TRUE_FALSE):
        return key["correct"][0]
    if kind == Kind.MULTIPLE:
        return key["correct"]
    if kind == Kind.NUMERIC:
        return key["answer"]
    if kind == Kind.SHORT_TEXT:
        return key["accepted"][0]
    if kind == Kind.IMAGE_TAGGING:
        return key["gold_labels"]
    if kind == Kind.BOUNDING_BOX:
        return [str(round(v * 100, 1)) for v in key["gold_box"]]
    return key["gold_text"]


def _in_bank_order(question) -> list[str]:
    """The attempt's choice ids in the bank's order. Choices are shuffled and given fresh ids for every
    attempt: picking from this list, the same random numbers make the same guess however it was shuffled."""
    ids = sorted(c["id"] for c in question.content["choices"])
    blocks = question.key.get("blocks", {})
    if not blocks or question.source is None:
        return ids  # true/false: the ids are the words
    place = {block.id: n for n, block in enumerate(question.source.choices)}
    return sorted(ids, key=lambda c: place.get(blocks.get(c), len(place)))


def guess_answer(question, rng: random.Random) -> object:
    kind = question.kind
    if kind in (Kind.SINGLE, Kind.TRUE_FALSE):
        return rng.choice(_in_bank_order(question))
    if kind == Kind.MULTIPLE:
        return [rng.choice(_in_bank_order(question))]
    if kind == Kind.IMAGE_TAGGING:
        return rng.sample(sorted(question.content["labels"]), 2)
    if kind == Kind.BOUNDING_BOX:
        return ["10", "10", "60", "60"]
    if kind == Kind.NUMERIC:
        return "1"
    return "not sure"


def demo_answers(attempt: Attempt, *, knows: bool, rng: random.Random) -> dict[int, object]:
    return {q.position: right_answer(q) if knows else guess_answer(q, rng) for q in attempt.questions.all()}
