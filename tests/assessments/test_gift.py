from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments import services
from assessments.gift import parse_gift
from assessments.models import BankQuestion, QuestionBank

SAMPLE = Path(__file__).parent / "data" / "sample.gift"


def test_parses_the_multi_type_sample():
    questions, errors = parse_gift(SAMPLE.read_text())
    assert errors == []
    by_title = {q.title: q for q in questions}
    kinds = ["single", "true_false", "true_false", "multiple", "short_text", "numeric", "numeric", "single"]
    assert [q.kind for q in questions] == [*kinds, "single"]
    tight = by_title["Tight box"]
    assert tight.choices[0] == (
        "The box touches the car on all four sides",
        True,
        "Right: no gaps, nothing cut off.",
    )
    assert [c[1] for c in tight.choices] == [True, False, False]
    assert by_title["Overlap"].true_false_answer is True
    assert by_title["Overlap"].explanation == "Each object gets its own box, even when they overlap."
    assert by_title["Overlap"].prompt.startswith("Boxes for two people")  # [html] marker dropped
    assert by_title["Shadows"].true_false_answer is False
    assert [c[1] for c in by_title["Objects to box"].choices] == [True, True, False]
    assert by_title["Unclear tag"].accepted_answers == ["[unclear]", "unclear"]
    assert (by_title["Wheels"].numeric_answer, by_title["Wheels"].numeric_tolerance) == (4, 0)
    assert (by_title["Speed range"].numeric_answer, by_title["Speed range"].numeric_tolerance) == (10, 5)
    assert by_title["Escapes"].prompt == "What does the label {vehicle} mean in our list : cars only?"
    assert by_title[""].prompt == "The speaker's words are written _____ as they were said."
    assert by_title["Tight box"].tags == ["bounding boxes"] and by_title["Wheels"].tags == ["transcription"]


def test_errors_name_their_lines():
    source = (
        "::ok::Fine? {T}\n\n::essay::Tell us about your day. {}\n\n// comment\n"
        "::match::Pair them {=a -> 1 =b -> 2}\n\nNo answers here\n\n::nope::Which? {~a ~b}\n"
    )
    questions, errors = parse_gift(source)
    assert len(questions) == 1
    assert [(e.line, e.message) for e in errors] == [
        (3, "essay questions (empty answers) are not supported"),
        (6, "matching questions are not supported"),
        (8, "no answer block in { } found"),
        (10, "no answer is marked right (use = or a positive %weight%)"),
    ]


def test_import_stores_every_question_of_the_sample(db):
    bank = QuestionBank.objects.create(title="Imported")
    created = services.bank_import_gift(bank=bank, source=SAMPLE.read_text(), by=None)
    assert len(created) == 9
    assert BankQuestion.objects.filter(bank=bank, live=True).count() == 9
    wheels = BankQuestion.objects.get(title="Wheels")
    assert wheels.numeric_answer == Decimal(4) and wheels.tags == "transcription"
    tight = BankQuestion.objects.get(title="Tight box")
    assert [b.value["correct"] for b in tight.choices] == [True, False, False]
    assert tight.revisions.count() == 1


def test_an_assistants_import_waits_as_drafts(assistant, db):
    bank = QuestionBank.objects.create(title="Drafts")
    services.bank_import_gift(bank=bank, source=SAMPLE.read_text(), by=assistant)
    assert BankQuestion.objects.filter(bank=bank, live=False).count() == 9


def test_a_file_with_any_error_imports_nothing(db, tmp_path, capsys):
    bad = tmp_path / "bad.gift"
    bad.write_text(SAMPLE.read_text() + "\n\n::broken::What? {~a ~b}\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_gift", "Broken bank", str(bad))
    assert "bad.gift:34: no answer is marked right" in capsys.readouterr().err
    assert not BankQuestion.objects.exists()


def test_import_command(db, capsys):
    call_command("import_gift", "Sample", str(SAMPLE))
    assert "Imported 9 questions" in capsys.readouterr().out
    assert QuestionBank.objects.get(title="Sample").questions.count() == 9


@pytest.mark.parametrize(
    "answer",
    ["{#NaN}", "{#Infinity}", "{#1..1e999999999}", "{#4:-1}", "{#9..1}", "{#1e11}", "{#-Infinity:1}"],
)
def test_numbers_a_question_cannot_hold_are_line_numbered_errors(answer):
    questions, errors = parse_gift(f"::Ok:: How many? {{#4}}\n\n::Bad:: How many? {answer}\n")
    assert len(questions) == 1 and [e.line for e in errors] == [3], errors


def test_an_import_of_too_many_questions_stores_nothing(db):
    bank = QuestionBank.objects.create(title="Huge")
    source = "\n\n".join(f"::Q{n}:: Is {n} even? {{{'T' if n % 2 == 0 else 'F'}}}" for n in range(501))
    with pytest.raises(services.GiftImportError) as refused:
        services.bank_import_gift(bank=bank, source=source, by=None)
    assert "at most 500" in str(refused.value.errors[0])
    assert not BankQuestion.objects.exists()
