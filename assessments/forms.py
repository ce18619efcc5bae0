from django.http import QueryDict

from assessments.models import AttemptQuestion, BankQuestion

Kind = BankQuestion.Kind
BOX_FIELDS = ("x", "y", "w", "h")


def responses_from_post(questions: list[AttemptQuestion], data: QueryDict) -> dict[int, object]:
    """Raw answers by question position from a submitted attempt form; absent questions are left out.

    Checkbox groups carry a hidden `qN_present` field so that unticking every box is an answer too.
    """
    responses: dict[int, object] = {}
    for question in questions:
        name = f"q{question.position}"
        if question.kind in (Kind.MULTIPLE, Kind.IMAGE_TAGGING):
            if f"{name}_present" in data or name in data:
                responses[question.position] = data.getlist(name)
        elif question.kind == Kind.BOUNDING_BOX:
            if any(f"{name}_{part}" in data for part in BOX_FIELDS):
                responses[question.position] = [data.get(f"{name}_{part}", "") for part in BOX_FIELDS]
        elif name in data:
            responses[question.position] = data.get(name)
    return responses
