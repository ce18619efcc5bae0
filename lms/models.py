import zoneinfo
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms import measures

TIME_ZONE_CHOICES = sorted((tz, tz.replace("_", " ")) for tz in zoneinfo.available_timezones())
LANGUAGE_CHOICES = settings.LANGUAGES
# Learning is part of the job: a weekly goal has a floor, so a goal of 0 cannot make streaks for free.
MIN_WEEKLY_GOAL = 30
MAX_WEEKLY_GOAL = 60 * 40
GOAL_VALIDATORS = [MinValueValidator(MIN_WEEKLY_GOAL), MaxValueValidator(MAX_WEEKLY_GOAL)]


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    default_weekly_goal_minutes = models.PositiveSmallIntegerField(
        default=90,
        validators=GOAL_VALIDATORS,
        help_text=_("Minutes of learning a week expected of each worker unless set per worker."),
    )
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="managed_teams", blank=True)
    time_zone = models.CharField(
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default="UTC",
        help_text=_("Where the team works: its managers see dates and the current week in this time zone."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


def today() -> date:
    return timezone.localdate()


EARLIEST_JOIN = date(1990, 1, 1)


def join_day_problem(day: date) -> str | None:
    """Why `day` cannot be a join day (before 1990 or more than a year ahead), else None."""
    if day < EARLIEST_JOIN or day > today() + timedelta(days=366):
        return _("Choose a join day between 1 January 1990 and a year from today.")
    return None


class WorkerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worker")
    external_id = models.CharField(
        max_length=64, unique=True, help_text=_("The id the work-assignment system uses.")
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="workers")
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES, default="en")
    weekly_goal_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=GOAL_VALIDATORS,
        help_text=_("Overrides the team's weekly goal when set."),
    )
    site = models.CharField(
        max_length=80,
        blank=True,
        help_text=_("Where the worker works, e.g. Antananarivo: impact reports group by it."),
    )
    joined_on = models.DateField(
        default=today,
        help_text=_("The day the worker joined the company (not the day the account was made)."),
    )
    wallet_did = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The DID of the worker's own wallet: new badge credentials name it as their holder."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__username"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username

    def clean(self) -> None:
        super().clean()
        if self.joined_on and (problem := join_day_problem(self.joined_on)):
            raise ValidationError({"joined_on": problem})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class LearningEvent(models.Model):
    """One thing a worker did while learning. Append-only: services add rows, nothing edits them."""

    class Kind(models.TextChoices):
        LESSON_OPENED = "lesson_opened", _("Lesson opened")
        LEARNING_TIME = "learning_time", _("Active learning time")
        LESSON_COMPLETED = "lesson_completed", _("Lesson completed")
        QUESTION_ASKED = "question_asked", _("Question asked")
        ATTEMPT_STARTED = "attempt_started", _("Skill check started")
        ATTEMPT_SUBMITTED = "attempt_submitted", _("Skill check submitted")
        ATTEMPT_PASSED = "attempt_passed", _("Skill check passed")
        BADGE_AWARDED = "badge_awarded", _("Badge awarded")
        BADGE_RENEWED = "badge_renewed", _("Badge renewed")
        BADGE_REVOKED = "badge_revoked", _("Badge revoked")
        BADGE_EXPIRED = "badge_expired", _("Badge expired")

    worker = models.ForeignKey(WorkerProfile, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    seconds = models.PositiveIntegerField(default=0)
    subject_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text=_("The lesson, question, attempt or badge it is about.")
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["worker", "kind", "occurred_at"]),
            models.Index(fields=["occurred_at"]),
            # The weekly rollup reads a worker's events in a time range, all kinds, from the index alone.
            models.Index(fields=["worker", "occurred_at", "kind", "seconds"], name="event_worker_time_cover"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seconds__lte=86400), name="learning_event_seconds_le_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


class WeeklyRecord(models.Model):
    """One worker's ISO week (Monday 00:00 in their time zone): what they learned and worked.

    Written only by the weekly rollup, from the learning events and work results; pages read these.
    """

    # No index of its own: the unique (worker, week) index below starts with it (one index fewer to write
    # for each of the rollup's rows).
    worker = models.ForeignKey(
        WorkerProfile, on_delete=models.CASCADE, related_name="weekly_records", db_index=False
    )
    week = models.DateField(help_text=_("The Monday the week starts on, in the worker's time zone."))
    time_zone = models.CharField(max_length=64, help_text=_("The time zone the week was bucketed in."))
    minutes_learned = models.PositiveIntegerField(default=0)
    lessons_completed = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    passes = models.PositiveIntegerField(default=0)
    badges_earned = models.PositiveIntegerField(default=0)
    questions_asked = models.PositiveIntegerField(default=0)
    goal_minutes = models.PositiveIntegerField(default=0)
    goal_met = models.BooleanField(default=False)
    streak = models.PositiveIntegerField(
        default=0, help_text=_("Weeks in a row meeting the goal, this one included.")
    )
    tasks_done = models.PositiveIntegerField(default=0)
    minutes_worked = models.PositiveIntegerField(default=0)
    accuracy = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    accuracy_weighted = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        default=0,
        help_text=_(
            "Σ accuracy × tasks of the week's work: weeks add up to a task-weighted accuracy exactly."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["worker_id", "week"]
        # The unique (worker, week) index serves every read: a worker's weeks, a team's week.
        constraints = [models.UniqueConstraint(fields=["worker", "week"], name="weekly_record_once")]

    def __str__(self) -> str:
        return f"{self.worker_id} week of {self.week}"

    @property
    def goal_percent(self) -> int:
        return measures.goal_percent(minutes=self.minutes_learned, goal=self.goal_minutes)


class RollupWatermark(models.Model):
    """How far the weekly rollup has read each source, by id. One row per source."""

    source = models.CharField(max_length=40, unique=True)
    last_id = models.PositiveBigIntegerField(default=0)
    ran_at = models.DateTimeField(null=True, blank=True, help_text="When the last run that read it started.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.source} @ {self.last_id}"


class RecomputeChain(models.Model):
    """A background recompute over every worker, in batches, that must not be lost or run twice.

    Each change bumps `generation`; one chain at a time walks the workers for the newest generation
    (`chain`, `cursor`), each batch claimed with a lease; `done` is the generation last finished.
    """

    key = models.CharField(max_length=80, unique=True)
    generation = models.PositiveBigIntegerField(default=0)
    done = models.PositiveBigIntegerField(default=0)
    chain = models.PositiveBigIntegerField(default=0, help_text="The generation the running chain covers.")
    cursor = models.PositiveBigIntegerField(default=0, help_text="The last worker id the chain finished.")
    busy_until = models.DateTimeField(null=True, blank=True, help_text="A batch holds the chain until then.")
    progress_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key} {self.done}/{self.generation}"

    @property
    def is_stale(self) -> bool:
        return self.done < self.generation


class ClientWrite(models.Model):
    """A write a worker's page made, by the id the page gave it: applied once, however often it is sent.

    A page that loses its connection keeps the write in a queue and sends it again later; the row
    (written in the same transaction as the write) turns every later copy into a no-op.
    """

    worker = models.ForeignKey(WorkerProfile, on_delete=models.CASCADE, related_name="client_writes")
    client_id = models.UUIDField()
    kind = models.CharField(max_length=32)
    client_at = models.DateTimeField(help_text=_("When the worker's device made the write."))
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "client_id"], name="client_write_once_per_worker")
        ]
        indexes = [models.Index(fields=["received_at"])]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.kind} {self.client_id}"


# A month's income before joining above this is a typing slip, not a fact.
MAX_INCOME = 10**9


class WorkerFacts(models.Model):
    """What a worker chose to tell about themself for the impact report: kept only while they consent.

    Withdrawing consent erases the answers (`lms.services.worker_consent_withdraw`), so no report made
    from then on can count them; the constraint keeps a row without consent empty.
    """

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        SELF_DESCRIBED = "self", _("I describe it myself")
        NOT_SAID = "not_said", _("I prefer not to say")

    class Employment(models.TextChoices):
        UNEMPLOYED = "unemployed", _("Without work")
        INFORMAL = "informal", _("Informal work (no contract)")
        FORMAL = "formal", _("Formal work (with a contract)")
        STUDENT = "student", _("Studying")

    worker = models.OneToOneField(WorkerProfile, on_delete=models.CASCADE, related_name="facts")
    consent = models.BooleanField(default=False)
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    gender_described = models.CharField(max_length=60, blank=True)
    employment_before = models.CharField(max_length=12, choices=Employment.choices, blank=True)
    income_before = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_INCOME)],
        help_text=_("Monthly income before joining."),
    )
    income_currency = models.CharField(max_length=3, blank=True, help_text=_("ISO 4217, e.g. MGA, INR, USD."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [("view_impact", "Can see the impact report for every team")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent=True)
                | models.Q(
                    gender="",
                    gender_described="",
                    employment_before="",
                    income_before__isnull=True,
                    income_currency="",
                ),
                name="worker_facts_only_with_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(income_before__isnull=True) | ~models.Q(income_currency=""),
                name="worker_facts_income_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} facts"


class ConsentRecord(models.Model):
    """Every time consent to the impact questions was given or withdrawn, by whom and when. Append-only."""

    worker = models.ForeignKey(WorkerProfile, on_delete=models.CASCADE, related_name="consent_records")
    given = models.BooleanField()
    at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.worker_id} {'gave' if self.given else 'withdrew'} consent at {self.at:%Y-%m-%d}"
