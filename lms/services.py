import secrets
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AbstractUser, Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import events, roles
from lms.languages import language_supported
from lms.models import (
    MAX_WEEKLY_GOAL,
    MIN_WEEKLY_GOAL,
    ClientWrite,
    ConsentRecord,
    LearningEvent,
    Team,
    WorkerFacts,
    WorkerProfile,
)


def learning_event_record(
    *,
    worker: WorkerProfile,
    kind: str,
    occurred_at: datetime | None = None,
    seconds: int = 0,
    subject_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> LearningEvent:
    """Append one event to the worker's learning log, inside the caller's transaction, and announce it."""
    event = LearningEvent.objects.create(
        worker=worker,
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        seconds=seconds,
        subject_id=subject_id,
        data=data or {},
    )
    events.publish(events.LearningRecorded(event=event))
    return event


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    is_superuser: bool = False,
) -> AbstractUser:
    """Create a login in one of the role groups (admins are also Django superusers)."""
    user = get_user_model().objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_superuser,
        is_superuser=is_superuser,
    )
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@transaction.atomic
def worker_create(
    *,
    username: str,
    email: str,
    password: str | None,
    external_id: str,
    team: Team | None = None,
    time_zone: str = "UTC",
    language: str = "en",
    first_name: str = "",
    last_name: str = "",
    site: str = "",
    joined_on: date | None = None,
) -> WorkerProfile:
    """Create a worker: a login in the Workers group and the profile the work system knows. No password
    (None) leaves the login unusable until they choose one; a language Ladder does not ship is English."""
    user = user_create(
        username=username,
        email=email,
        password=password,
        role=roles.WORKERS,
        first_name=first_name,
        last_name=last_name,
    )
    worker = WorkerProfile.objects.create(
        user=user,
        external_id=external_id,
        team=team,
        time_zone=time_zone,
        language=language_supported(language),
        site=site,
        joined_on=joined_on or timezone.localdate(),
    )
    events.publish(events.WorkerCreated(worker=worker))
    return worker


def team_manager_add(*, worker: WorkerProfile) -> None:
    """Make the worker a manager of their own team (a team lead): the team's managers and the role."""
    if worker.team_id is None:
        return
    worker.team.managers.add(worker.user)
    worker.user.groups.add(Group.objects.get_or_create(name=roles.MANAGERS)[0])


def worker_lock(*, worker_id: int) -> WorkerProfile:
    """Lock the worker's row for the rest of the transaction; serialises their concurrent writes."""
    return WorkerProfile.objects.select_for_update().get(pk=worker_id)


class GoalError(ValueError):
    """A weekly goal the rules refuse; safe to show."""


def _goal_check(minutes: int) -> None:
    if not MIN_WEEKLY_GOAL <= minutes <= MAX_WEEKLY_GOAL:
        raise GoalError(f"A weekly goal is from {MIN_WEEKLY_GOAL} to {MAX_WEEKLY_GOAL} minutes.")


@transaction.atomic
def team_goal_set(*, team: Team, minutes: int, by: AbstractBaseUser | None = None) -> Team:
    """The team's default weekly learning goal; this week's records follow it at the next rollup.

    A team lead who is also in the team keeps the goal they had: their change never lowers their own bar.
    """
    _goal_check(minutes)
    if by is not None:
        team.workers.filter(user=by, weekly_goal_minutes__isnull=True).update(
            weekly_goal_minutes=team.default_weekly_goal_minutes
        )
    team.default_weekly_goal_minutes = minutes
    team.save(update_fields=["default_weekly_goal_minutes"])
    return team


def worker_goal_set(*, worker: WorkerProfile, minutes: int | None) -> WorkerProfile:
    """A worker's own weekly goal, or None to follow the team's."""
    if minutes is not None:
        _goal_check(minutes)
    worker.weekly_goal_minutes = minutes
    worker.save(update_fields=["weekly_goal_minutes"])
    return worker


def worker_language_set(*, worker: WorkerProfile, language: str) -> WorkerProfile:
    """The language the worker's pages speak; a code Ladder does not ship becomes English."""
    worker.language = language_supported(language)
    worker.save(update_fields=["language"])
    return worker


def login_lockout_clear(*, username: str) -> None:
    """Forget the failed logins of this username, from every address (after a password reset)."""
    from axes.utils import reset

    reset(username=username)


@transaction.atomic
def worker_password_reset(*, worker: WorkerProfile) -> str:
    """Give the worker a new one-time password (returned, to pass on in person) and lift their lockout."""
    password = "-".join(secrets.token_hex(2) for _ in range(3))
    worker.user.set_password(password)
    worker.user.save(update_fields=["password"])
    login_lockout_clear(username=worker.user.get_username())
    return password


class TranslationRefused(Exception):
    pass


@transaction.atomic
def item_translation_save(*, item, language: str, texts: dict[str, str], by: AbstractBaseUser) -> str:
    """Keep an assistant's translation of a skill check, question, badge, task type or career level.

    What goes through expert review (checks and questions) gets a new draft with the translation —
    published at once by someone who may publish it, else sent to the review workflow — so workers
    read it only once approved. The rest is saved as it is edited. Returns "published", "in_review",
    "draft" (no review workflow: someone who may publish it makes it live) or "saved"."""
    from lms.translatable import SEGMENT_MAX_LENGTH, target_languages

    if language not in dict(target_languages()):
        raise TranslationRefused(_("Choose one of the languages Ladder ships."))
    too_long = [key for key, text in texts.items() if len(text or "") > SEGMENT_MAX_LENGTH]
    if too_long:
        raise TranslationRefused(
            _("A translation is at most %(limit)s characters.") % {"limit": SEGMENT_MAX_LENGTH}
        )
    model = type(item)
    if not hasattr(item, "save_revision"):
        item = model.objects.select_for_update().get(pk=item.pk)
        item.translations = item.translations_with(language, texts)
        item.save(update_fields=["translations"])
        return "saved"
    draft = item.get_latest_revision_as_object() if item.latest_revision_id else item
    draft.translations = draft.translations_with(language, texts)
    revision = draft.save_revision(user=by)
    label = model._meta
    if by.has_perm(f"{label.app_label}.publish_{label.model_name}"):
        revision.publish(user=by)
        return "published"
    workflow = draft.get_workflow()
    if workflow is None:
        return "draft"
    if draft.workflow_in_progress:
        draft.current_workflow_state.cancel(user=by)
    workflow.start(draft, by)
    return "in_review"


# A write made offline is judged like a live one if it arrives within a week; a clock ahead of ours
# is read as "now", so a forged time can move a write into the past only, where the rules still hold.
CLIENT_WRITE_MAX_AGE = timedelta(days=7)
CLIENT_WRITE_KEPT = timedelta(days=30)


class StaleWrite(ValueError):
    """A write from a page's queue older than the replay window; the message is safe to show."""


def client_time_judged(*, client_at: datetime, now: datetime | None = None) -> datetime:
    """The moment a write from a worker's page counts at: its own time, never later than now."""
    now = now or timezone.now()
    if client_at < now - CLIENT_WRITE_MAX_AGE:
        raise StaleWrite(_("This change was made more than 7 days ago, so it was not saved."))
    return min(client_at, now)


def client_write_seen(*, worker: WorkerProfile, client_id: uuid.UUID) -> bool:
    """Whether the page's write with this id was applied already (a copy then changes nothing)."""
    return ClientWrite.objects.filter(worker=worker, client_id=client_id).exists()


def client_write_claim(
    *, worker: WorkerProfile, client_id: uuid.UUID, kind: str, client_at: datetime
) -> bool:
    """Claim a page's write by its id, inside the caller's transaction: False when it was applied before.

    The claim is rolled back with the write, so a refused write can be sent again; two copies sent at
    once cannot both claim it (the second waits on the unique key, then finds it taken).
    """
    try:
        with transaction.atomic():
            ClientWrite.objects.create(
                worker=worker,
                client_id=client_id,
                kind=kind[:32],
                client_at=client_at,
                received_at=timezone.now(),
            )
    except IntegrityError:
        return False
    return True


def client_writes_prune(*, now: datetime | None = None) -> int:
    """Forget the ids of writes made more than 30 days ago (a copy of one is refused by its age anyway;
    a phone that lost the answer keeps asking for at most that long)."""
    now = now or timezone.now()
    deleted, _by_model = ClientWrite.objects.filter(client_at__lt=now - CLIENT_WRITE_KEPT).delete()
    return deleted


class ConsentNeeded(ValueError):
    """The impact questions are answered only by a worker who has said yes to them."""


FACT_FIELDS = ("gender", "gender_described", "employment_before", "income_before", "income_currency")


def _facts(worker: WorkerProfile) -> WorkerFacts:
    facts, _ = WorkerFacts.objects.select_for_update().get_or_create(worker=worker)
    return facts


@transaction.atomic
def worker_consent_give(*, worker: WorkerProfile, by: AbstractBaseUser | None) -> WorkerFacts:
    """Record the worker's yes to the impact questions (logged; idempotent while it stands)."""
    facts = _facts(worker)
    if not facts.consent:
        facts.consent = True
        facts.save(update_fields=["consent", "updated_at"])
        ConsentRecord.objects.create(worker=worker, given=True, recorded_by=by)
    return facts


@transaction.atomic
def worker_consent_withdraw(*, worker: WorkerProfile, by: AbstractBaseUser | None) -> WorkerFacts:
    """Withdraw consent: the answers are erased, so no report counts them from now on (logged)."""
    facts = _facts(worker)
    if facts.consent:
        facts.consent = False
        facts.gender = facts.gender_described = facts.employment_before = facts.income_currency = ""
        facts.income_before = None
        facts.save()
        ConsentRecord.objects.create(worker=worker, given=False, recorded_by=by)
    return facts


@transaction.atomic
def worker_facts_save(*, worker: WorkerProfile, answers: dict, by: AbstractBaseUser | None) -> WorkerFacts:
    """Store the worker's answers to the impact questions; refused (ConsentNeeded) without consent."""
    facts = _facts(worker)
    if not facts.consent:
        raise ConsentNeeded("The worker has not agreed to answer these questions.")
    for field in FACT_FIELDS:
        setattr(facts, field, answers.get(field) or ("" if field != "income_before" else None))
    if facts.gender != WorkerFacts.Gender.SELF_DESCRIBED:
        facts.gender_described = ""
    if facts.income_before is None:
        facts.income_currency = ""
    facts.full_clean(exclude=["worker"])
    facts.save()
    return facts
