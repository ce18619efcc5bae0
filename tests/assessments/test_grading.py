import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.grading import cer, f1, grade, iou, normalise_text, normalise_transcript


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ({"a", "b"}, {"a", "b"}, 1.0),
        (set(), set(), 1.0),
        ({"a"}, set(), 0.0),
        (set(), {"a"}, 0.0),
        ({"c"}, {"a", "b"}, 0.0),
        ({"a"}, {"a", "b"}, 2 / 3),
        ({"a", "b", "c", "d"}, {"a", "b"}, 2 / 3),
    ],
)
def test_f1(predicted, gold, expected):
    assert f1(predicted, gold) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("box", "gold", "expected"),
    [
        ((0, 0, 1, 1), (0, 0, 1, 1), 1.0),
        ((0, 0, 1, 1), (2, 2, 1, 1), 0.0),
        ((0, 0, 1, 1), (1, 0, 1, 1), 0.0),  # touching edges share no area
        ((0, 0, 2, 2), (1, 1, 2, 2), 1 / 7),
        ((0.25, 0.25, 0.5, 0.5), (0, 0, 1, 1), 0.25),  # inside: intersection is the small box
        ((0, 0, 0, 1), (0, 0, 1, 1), 0.0),  # a zero-width box never scores
        ((0, 0, 1, 1), (0, 0, 1, 0), 0.0),
    ],
)
def test_iou(box, gold, expected):
    assert iou(box, gold) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("hypothesis", "reference", "expected"),
    [
        ("Turn left at the market.", "turn left at the market.", 0.0),  # case folded
        ("turn  left   at the market.", "turn left at the market.", 0.0),  # spaces folded
        ("", "", 0.0),
        ("anything", "", 1.0),
        ("", "abcd", 1.0),
        ("abce", "abcd", 0.25),
        ("abcdxx", "abcd", 0.5),  # insertions can push CER past 1 per character
        ("kitten", "sitting", 3 / 7),
    ],
)
def test_cer(hypothesis, reference, expected):
    assert cer(hypothesis, reference) == pytest.approx(expected)


def test_short_text_normalisation():
    assert normalise_text("  The  CAR! ") == "the car"
    assert normalise_text("Ｃａｒ") == "car"  # full-width letters fold with NFKC
    assert grade("short_text", "[Unclear]", {"accepted": ["unclear"]}) == 1.0
    assert grade("short_text", "unclear word", {"accepted": ["unclear"]}) == 0.0


def test_grade_each_kind():
    assert grade("single", "c1", {"correct": ["c1"]}) == 1.0
    assert grade("single", "c2", {"correct": ["c1"]}) == 0.0
    assert grade("true_false", "false", {"correct": ["false"]}) == 1.0
    assert grade("multiple", ["b", "a"], {"correct": ["a", "b"]}) == 1.0
    assert grade("multiple", ["a"], {"correct": ["a", "b"]}) == 0.0
    assert grade("numeric", "3.14", {"answer": "3.1416", "tolerance": "0.01"}) == 1.0
    assert grade("numeric", "3,13", {"answer": "3.1416", "tolerance": "0.01"}) == 0.0
    assert grade("numeric", "3,15", {"answer": "3.1416", "tolerance": "0.01"}) == 1.0  # decimal comma
    assert grade("numeric", "four", {"answer": "4", "tolerance": "0"}) == 0.0
    assert grade("numeric", "NaN", {"answer": "4", "tolerance": "0"}) == 0.0
    key = {"gold_labels": ["apple", "banana", "orange"], "min_f1": 0.8}
    assert grade("image_tagging", ["apple", "banana", "orange"], key) == 1.0
    assert grade("image_tagging", ["apple", "banana"], key) == pytest.approx(0.8)
    assert grade("image_tagging", ["apple"], key) == 0.0  # F1 0.5 is under the bar
    box_key = {"gold_box": [0.3, 0.4, 0.4, 0.4], "min_iou": 0.5}
    assert grade("bounding_box", [0.3, 0.4, 0.4, 0.4], box_key) == 1.0
    assert grade("bounding_box", [0.2, 0.3, 0.6, 0.6], box_key) == 0.0  # IoU 0.44: too loose
    text_key = {"gold_text": "Turn left at the market.", "max_cer": 0.1}
    assert grade("transcription", "turn left at the markit.", text_key) == 1.0
    assert grade("transcription", "turn right at the market", text_key) == 0.0
    assert grade("single", None, {"correct": ["c1"]}) == 0.0


def edits_from_scratch(a: str, b: str) -> int:
    """Levenshtein distance by the textbook table: the reference the library must agree with."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abc dé.অ", max_size=30), st.text(alphabet="abc dé.অ", max_size=30))
def test_cer_counts_the_same_edits_as_the_textbook_table(hypothesis, reference):
    h, r = normalise_transcript(hypothesis), normalise_transcript(reference)
    expected = edits_from_scratch(h, r) / len(r) if r else (0.0 if not h else 1.0)
    assert cer(hypothesis, reference) == pytest.approx(expected)
