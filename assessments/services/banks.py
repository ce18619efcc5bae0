from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import WorkflowContentType

from assessments.gift import GiftError, ParsedQuestion, parse_gift
from assessments.models import Assessment, BankQuestion, QuestionBank
from assessments.services.errors import AssessmentError
from courses.services import expert_review_workflow_ensure

# One import is one transaction: it must stay short, so large banks come in several files.
MAX_GIFT_QUESTIONS = 500
MAX_GIFT_BYTES = 2 * 1024 * 1024


class GiftImportError(AssessmentError):
    """The file could not be read whole; nothing was imported."""

    def __init__(self, errors: list[GiftError]):
        super().__init__(f"{len(errors)} question(s) could not be read; nothing was imported.")
        self.errors = errors


def _bank_question(bank: QuestionBank, parsed: ParsedQuestion, live: bool) -> BankQuestion:
    return BankQuestion(
        bank=bank,
        kind=parsed.kind,
        title=parsed.title[:120],
        prompt=parsed.prompt,
        tags=", ".join(parsed.tags),
        explanation=parsed.explanation,
        choices=[("choice", {"text": t, "correct": c, "feedback": f}) for t, c, f in parsed.choices],
        true_false_answer=parsed.true_false_answer,
        numeric_answer=parsed.numeric_answer,
        numeric_tolerance=parsed.numeric_tolerance,
        accepted_answers="\n".join(parsed.accepted_answers),
        live=live,
    )


@transaction.atomic
def bank_import_gift(*, bank: QuestionBank, source: str, by: AbstractBaseUser | None) -> list[BankQuestion]:
    """Import every question of a GIFT file into the bank, or none when any cannot be read.

    Someone who may publish questions gets them live; anyone else's wait as drafts for an expert.
    """
    if len(source.encode()) > MAX_GIFT_BYTES:
        raise GiftImportError([GiftError(1, "the file is larger than 2 MB")])
    questions, errors = parse_gift(source)
    if errors:
        raise GiftImportError(errors)
    if not questions:
        raise GiftImportError([GiftError(1, "the file holds no questions")])
    if len(questions) > MAX_GIFT_QUESTIONS:
        raise GiftImportError(
            [
                GiftError(
                    1,
                    f"the file holds {len(questions)} questions; import at most {MAX_GIFT_QUESTIONS} at once",
                )
            ]
        )
    live = by is None or by.has_perm("assessments.publish_bankquestion")
    created = []
    for parsed in questions:
        question = _bank_question(bank, parsed, live)
        question.save()
        revision = question.save_revision(user=by, log_action=True)
        if live:
            revision.publish(user=by, skip_permission_checks=by is None)
        created.append(question)
    return created


def content_review_setup() -> None:
    """Put questions and skill checks under the "Expert review" workflow, like courses and FAQs."""
    workflow = expert_review_workflow_ensure()
    for model in (BankQuestion, Assessment):
        WorkflowContentType.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(model), defaults={"workflow": workflow}
        )
