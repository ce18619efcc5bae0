"""A reader for Moodle's GIFT question format: every question it can store, or line-numbered errors.

Supported: single choice, multiple select (weighted `~%50%`), true/false, short answer, numeric
(`{#3.14:0.01}`, `{#1..5}`, `{#=4:0}`), titles, comments, `$CATEGORY:` (kept as a tag), answer and
general (`####`) feedback, escapes, and the `[html]`/`[plain]`/`[markdown]`/`[moodle]` markers.
Essay and matching questions have no equivalent here and are reported as errors.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from assessments.grading import to_decimal

ESCAPES = {r"\~": "\x01", r"\=": "\x02", r"\#": "\x03", r"\{": "\x04", r"\}": "\x05", r"\:": "\x06"}
RESTORE = {"\x01": "~", "\x02": "=", "\x03": "#", "\x04": "{", "\x05": "}", "\x06": ":"}
FORMAT_MARKER = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


class GiftError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass
class ParsedQuestion:
    line: int
    kind: str
    prompt: str
    title: str = ""
    choices: list[tuple[str, bool, str]] = field(default_factory=list)
    true_false_answer: bool | None = None
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal = Decimal(0)
    accepted_answers: list[str] = field(default_factory=list)
    explanation: str = ""
    tags: list[str] = field(default_factory=list)


def _unescape(text: str) -> str:
    for code, char in RESTORE.items():
        text = text.replace(code, char)
    return text.replace(r"\n", "\n").strip()


def _clean_text(text: str) -> str:
    return FORMAT_MARKER.sub("", _unescape(text)).strip()


def _blocks(source: str):
    """Yield (first line number, text) of each question, dropping comments and keeping categories."""
    for code, placeholder in ESCAPES.items():
        source = source.replace(code, placeholder)
    lines, start = [], None
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            if lines:
                yield start, "\n".join(lines)
            lines, start = [], None
            continue
        if start is None:
            start = number
        lines.append(line)
    if lines:
        yield start, "\n".join(lines)


def _split_answers(body: str) -> list[str]:
    return [part for part in re.split(r"(?=[=~])", body.strip()) if part.strip()]


def _feedback(text: str) -> tuple[str, str]:
    text, _, feedback = text.partition("#")
    return text, feedback


def _numeric(line: int, body: str, question: ParsedQuestion) -> None:
    body = body[1:].strip()
    if body.startswith("="):
        body = _split_answers(body)[0][1:]
        body = WEIGHT.sub("", body)
    body, _ = _feedback(body)
    body = body.strip()
    if ".." in body:
        low, _, high = body.partition("..")
        low, high = _number(line, low, body), _number(line, high, body)
        if high < low:
            raise GiftError(line, f"the range {body!r} ends below its start")
        question.numeric_answer, question.numeric_tolerance = (low + high) / 2, (high - low) / 2
    else:
        answer, _, tolerance = body.partition(":")
        question.numeric_answer = _number(line, answer, body)
        question.numeric_tolerance = _number(line, tolerance or "0", body)
        if question.numeric_tolerance < 0:
            raise GiftError(line, f"the tolerance in {body!r} is negative")
    question.kind = "numeric"


# What a bank question's number fields hold (14 digits, 4 after the point).
NUMBER_LIMIT = Decimal(10) ** 10


def _number(line: int, text: str, body: str) -> Decimal:
    number = to_decimal(text)
    if number is None or abs(number) >= NUMBER_LIMIT:
        raise GiftError(line, f"cannot read the number answer {body!r}")
    return number.quantize(Decimal("0.0001"))


def _choices(line: int, body: str, question: ParsedQuestion) -> None:
    parts = _split_answers(body)
    if any("->" in part for part in parts):
        raise GiftError(line, "matching questions are not supported")
    if not parts:
        raise GiftError(line, "essay questions (empty answers) are not supported")
    if all(part.startswith("=") for part in parts) and len(parts) >= 1 and not any("~" in p for p in parts):
        question.kind = "short_text"
        question.accepted_answers = [_clean_text(WEIGHT.sub("", _feedback(p[1:])[0])) for p in parts]
        return
    weighted = any(WEIGHT.match(part[1:].strip()) for part in parts)
    for part in parts:
        text, feedback = _feedback(part[1:].strip())
        weight = WEIGHT.match(text)
        correct = part.startswith("=") or (weight is not None and Decimal(weight.group(1)) > 0)
        question.choices.append((_clean_text(WEIGHT.sub("", text)), correct, _clean_text(feedback)))
    correct_count = sum(1 for _, correct, _ in question.choices if correct)
    if correct_count == 0:
        raise GiftError(line, "no answer is marked right (use = or a positive %weight%)")
    question.kind = "multiple" if weighted or correct_count > 1 else "single"


def _answers(line: int, body: str, question: ParsedQuestion) -> None:
    body, _, general = body.partition("####")
    question.explanation = _clean_text(general)
    stripped = body.strip()
    head = stripped.split("#", 1)[0].strip().upper()
    if head in {"T", "TRUE", "F", "FALSE"}:
        question.kind = "true_false"
        question.true_false_answer = head.startswith("T")
    elif stripped.startswith("#"):
        _numeric(line, stripped, question)
    else:
        _choices(line, stripped, question)


def _question(line: int, text: str, category: str) -> ParsedQuestion:
    text = text.strip()
    title = ""
    if text.startswith("::"):
        title, _, text = text[2:].partition("::")
    opening, closing = text.find("{"), text.rfind("}")
    if opening == -1 or closing < opening:
        raise GiftError(line, "no answer block in { } found")
    if text.count("{") > 1:
        raise GiftError(line, "more than one answer block; only one is supported")
    before, body, after = text[:opening], text[opening + 1 : closing], text[closing + 1 :]
    prompt = _clean_text(before) + (" _____ " + _clean_text(after) if after.strip() else "")
    if not prompt.strip():
        raise GiftError(line, "the question has no text")
    question = ParsedQuestion(line=line, kind="", prompt=prompt.strip(), title=_clean_text(title))
    _answers(line, body, question)
    if category:
        question.tags = [category]
    return question


def parse_gift(source: str) -> tuple[list[ParsedQuestion], list[GiftError]]:
    """Every question the file holds, and an error for each one that could not be read."""
    questions, errors, category = [], [], ""
    for line, text in _blocks(source):
        if text.strip().startswith("$CATEGORY:"):
            first, _, rest = text.strip().partition("\n")
            category = _unescape(first.split(":", 1)[1]).strip().split("/")[-1].lower()
            if not rest.strip():
                continue
            text, line = rest, line + 1
        try:
            questions.append(_question(line, text, category))
        except GiftError as error:
            errors.append(error)
    return questions, errors
