from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Collection

from assessments.models import Assessment, BankQuestion, QuestionBank, SkillBadge

Kind = BankQuestion.Kind


@pytest.fixture
def picture(db) -> Image:
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    buffer = BytesIO()
    PILImage.new("RGB", (200, 100), (200, 40, 40)).save(buffer, format="PNG")
    return Image.objects.create(title="street", file=ImageFile(buffer, name="street.png"))


@pytest.fixture
def badge(db) -> SkillBadge:
    return SkillBadge.objects.create(
        name="Bounding boxes",
        slug="bounding-boxes",
        description="Draws tight boxes.",
        criteria="Pass the bounding boxes check.",
        skill="Bounding boxes",
        validity_months=12,
    )


def _question(bank, kind, **fields) -> BankQuestion:
    question = BankQuestion(bank=bank, kind=kind, prompt=fields.pop("prompt", f"A {kind} question"), **fields)
    question.save()
    question.save_revision().publish()
    return question


@pytest.fixture
def make_question():
    return _question


@pytest.fixture
def bank(db, picture) -> QuestionBank:
    """One question of every kind, each with a known right answer."""
    bank = QuestionBank.objects.create(title="Everything")

    def choice(text, correct, feedback=""):
        return ("choice", {"text": text, "correct": correct, "feedback": feedback})

    _question(
        bank,
        Kind.SINGLE,
        prompt="Which tag fits a red car?",
        choices=[choice("car", True, "Right: it is a car."), choice("tree", False, "A tree is green.")],
        explanation="Use the object's own name.",
    )
    _question(
        bank,
        Kind.MULTIPLE,
        prompt="Which are fruit?",
        choices=[choice("apple", True), choice("banana", True), choice("brick", False)],
    )
    _question(bank, Kind.TRUE_FALSE, prompt="Shadows get a box.", true_false_answer=False)
    _question(
        bank,
        Kind.NUMERIC,
        prompt="How many wheels?",
        numeric_answer=Decimal("4"),
        numeric_tolerance=Decimal("0"),
    )
    _question(bank, Kind.SHORT_TEXT, prompt="Tag for unclear speech?", accepted_answers="[unclear]\nunclear")
    _question(
        bank,
        Kind.IMAGE_TAGGING,
        prompt="Tag the fruit.",
        image=picture,
        labels="apple\nbanana\norange\nlemon",
        gold_labels="apple\nbanana\norange",
        min_f1=0.8,
    )
    _question(
        bank,
        Kind.BOUNDING_BOX,
        prompt="Box the car.",
        image=picture,
        gold_box=[0.3, 0.4, 0.4, 0.4],
        min_iou=0.5,
    )
    _question(
        bank, Kind.TRANSCRIPTION, prompt="Type what is said.", accepted_answers="Turn left at the market."
    )
    return bank


@pytest.fixture
def make_assessment(bank, badge):
    def make(**fields) -> Assessment:
        defaults = {
            "title": "Bounding boxes check",
            "slug": "bounding-boxes-check",
            "bank": bank,
            "questions_per_attempt": 8,
            "pass_mark": 75,
            "badge": badge,
            "live": True,
        }
        defaults.update(fields)
        assessment = Assessment(**defaults)
        assessment.save()
        return assessment

    return make


@pytest.fixture
def assessment(make_assessment) -> Assessment:
    return make_assessment()


def right_answers(attempt) -> dict[int, object]:
    """The raw form answers that get every question of the attempt right (read from the frozen key)."""
    answers = {}
    for question in attempt.questions.all():
        key = question.key
        if question.kind in (Kind.SINGLE, Kind.TRUE_FALSE):
            answers[question.position] = key["correct"][0]
        elif question.kind == Kind.MULTIPLE:
            answers[question.position] = key["correct"]
        elif question.kind == Kind.NUMERIC:
            answers[question.position] = key["answer"]
        elif question.kind == Kind.SHORT_TEXT:
            answers[question.position] = key["accepted"][0]
        elif question.kind == Kind.IMAGE_TAGGING:
            answers[question.position] = key["gold_labels"]
        elif question.kind == Kind.BOUNDING_BOX:
            answers[question.position] = [str(v * 100) for v in key["gold_box"]]
        elif question.kind == Kind.TRANSCRIPTION:
            answers[question.position] = key["gold_text"]
    return answers


def form_data(attempt) -> dict:
    """What the check page posts when every answer is right."""
    data = {}
    for position, value in right_answers(attempt).items():
        question = attempt.questions.get(position=position)
        if question.kind == Kind.BOUNDING_BOX:
            data.update({f"q{position}_{part}": v for part, v in zip("xywh", value, strict=True)})
        else:
            data[f"q{position}"] = value
            if question.kind in (Kind.MULTIPLE, Kind.IMAGE_TAGGING):
                data[f"q{position}_present"] = "1"
    return data
