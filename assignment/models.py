import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from lms.translatable import Translatable

FRACTION = [MinValueValidator(0), MaxValueValidator(1)]


class TaskType(Translatable, models.Model):
    class PayUnit(models.TextChoices):
        TASK = "task", _("per task")
        HOUR = "hour", _("per hour")
        ITEM = "item", _("per item")

    translatable_fields = ("name",)
    translatable_long_fields = ("description",)

    code = models.SlugField(max_length=50, unique=True, help_text=_("The work system's code for it."))
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    pay_rate = models.DecimalField(max_digits=10, decimal_places=4, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default="USD", help_text=_("ISO 4217, e.g. USD, MGA, INR."))
    pay_unit = models.CharField(max_length=8, choices=PayUnit.choices, default=PayUnit.TASK)
    tier = models.PositiveSmallIntegerField(
        default=1, help_text=_("1 is entry level; higher is harder work.")
    )
    required_badges = models.ManyToManyField("assessments.SkillBadge", blank=True, related_name="task_types")
    min_level = models.ForeignKey(
        "careerpaths.CareerLevel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The lowest career level that may do it. Empty: any level."),
    )
    accuracy_threshold = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=FRACTION,
        help_text=_("Below this accuracy over the window the worker is suspended (0.9 = 90%). Empty: never."),
    )
    accuracy_window_days = models.PositiveSmallIntegerField(default=7, validators=[MinValueValidator(1)])
    min_tasks_for_suspension = models.PositiveIntegerField(
        default=20, help_text=_("Accuracy over fewer tasks than this never suspends anyone.")
    )
    refresher = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The skill check a suspended worker passes to get this work back."),
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when an admin changes the type; cleared when every worker has been recomputed. A sweep
    # restarts the recompute if it never ran (e.g. the broker was down when the type was saved).

    class Meta:
        ordering = ["tier", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def pay(self) -> str:
        """The rate as people say it, in the page's language: "0.028 USD per task", "0,028 USD par tâche"."""
        rate = number_format(self.pay_rate.normalize(), use_l10n=True)
        return f"{rate} {self.currency} {self.get_pay_unit_display()}"


class WorkerEligibility(models.Model):
    """The version of a worker's eligibility: it goes up by one whenever any task type changes."""

    worker = models.OneToOneField(
        "lms.WorkerProfile", on_delete=models.CASCADE, related_name="eligibility_state"
    )
    version = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.worker_id} v{self.version}"


class Eligibility(models.Model):
    """Whether a worker may do a task type now, and what is missing: stored, recomputed on change."""

    worker = models.ForeignKey("lms.WorkerProfile", on_delete=models.CASCADE, related_name="eligibilities")
    task_type = models.ForeignKey(TaskType, on_delete=models.CASCADE, related_name="eligibilities")
    eligible = models.BooleanField(default=False)
    suspended = models.BooleanField(default=False)
    missing = models.JSONField(default=list, help_text=_("Badge slugs the worker still needs."))
    version = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)
    first_unlocked_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the worker first became eligible; kept through later changes."),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["worker", "task_type"], name="eligibility_once")]
        indexes = [models.Index(fields=["task_type", "eligible", "worker"])]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.task_type_id}: {self.eligible}"


class Suspension(models.Model):
    worker = models.ForeignKey("lms.WorkerProfile", on_delete=models.CASCADE, related_name="suspensions")
    task_type = models.ForeignKey(TaskType, on_delete=models.CASCADE, related_name="suspensions")
    started_at = models.DateTimeField(default=timezone.now)
    accuracy = models.DecimalField(max_digits=5, decimal_places=4)
    threshold = models.DecimalField(max_digits=4, decimal_places=3)
    tasks_counted = models.PositiveIntegerField()
    refresher = models.ForeignKey(
        "assessments.Assessment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_reason = models.CharField(max_length=300, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "task_type"],
                condition=Q(lifted_at__isnull=True),
                name="one_active_suspension",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} suspended from {self.task_type}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class Appeal(models.Model):
    """A suspended worker asks their manager to review the suspension."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting")
        LIFTED = "lifted", _("Suspension lifted")
        UPHELD = "upheld", _("Suspension stays")

    suspension = models.ForeignKey(Suspension, on_delete=models.CASCADE, related_name="appeals")
    message = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=8, choices=Decision.choices, default=Decision.PENDING)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["suspension"], condition=Q(decision="pending"), name="one_open_appeal_per_suspension"
            )
        ]

    def __str__(self) -> str:
        return f"appeal on {self.suspension}"


class WorkResult(models.Model):
    """Quality reported by the work system for one worker, task type and period."""

    result_id = models.CharField(max_length=100, unique=True)
    worker = models.ForeignKey("lms.WorkerProfile", on_delete=models.CASCADE, related_name="work_results")
    task_type = models.ForeignKey(TaskType, on_delete=models.CASCADE, related_name="work_results")
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    tasks_completed = models.PositiveIntegerField()
    minutes_worked = models.PositiveIntegerField()
    accuracy = models.DecimalField(max_digits=5, decimal_places=4, validators=FRACTION)
    body_hash = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_end"]
        indexes = [
            models.Index(fields=["worker", "task_type", "period_end"]),
            models.Index(fields=["received_at"]),
            # The weekly rollup: a worker's results by the week they ended in (PostgreSQL answers from
            # the index alone).
            models.Index(
                fields=["worker", "period_end"],
                include=["tasks_completed", "minutes_worked", "accuracy"],
                name="work_worker_end_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")), name="work_period_order"
            ),
            models.CheckConstraint(condition=Q(accuracy__gte=0, accuracy__lte=1), name="work_accuracy_0_1"),
        ]

    def __str__(self) -> str:
        return self.result_id


class ApiClient(models.Model):
    """A program allowed to call the bridge API. Only a hash of its key is kept."""

    SCOPES = [
        ("eligibility:read", "Read eligibility and task types"),
        ("work-results:write", "Report work results"),
        ("impact:read", "Read the impact and fairness report"),
    ]

    name = models.CharField(max_length=120)
    key_prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WebhookEndpoint(models.Model):
    EVENT_TYPES = [
        ("badge.awarded", "Badge awarded"),
        ("badge.revoked", "Badge revoked"),
        ("badge.expired", "Badge expired"),
        ("eligibility.changed", "Eligibility changed"),
        ("promotion.approved", "Promotion approved"),
    ]

    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=100, help_text=_("whsec_… Standard Webhooks signing secret."))
    event_types = models.JSONField(default=list, blank=True, help_text=_("Empty: every event type."))
    active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class WebhookEvent(models.Model):
    """One event, written in the same transaction as the change it reports. Its pk is its sequence."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        DEAD = "dead", _("Dead-lettered")
        DISABLED = "disabled", _("Endpoint disabled")

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(
        max_length=300, blank=True, help_text=_("In our words: nothing the receiver wrote.")
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    sending_until = models.DateTimeField(null=True, blank=True, help_text="Being sent: claimed until then.")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="delivery_once_per_endpoint")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


class XapiStatement(models.Model):
    """One xAPI statement for the learning record store, written with the event it reports (the outbox).

    The statement is built once, when the event happens, and sent as stored: a re-send carries the same
    id and the same content, so the store keeps it once however often it arrives.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        DEAD = "dead", _("Dead-lettered")

    statement_id = models.UUIDField(unique=True, editable=False)
    event = models.ForeignKey(
        "lms.LearningEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    promotion = models.ForeignKey(
        "careerpaths.Promotion", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    verb = models.CharField(max_length=40, help_text=_("The verb's display name, for the list."))
    statement = models.JSONField()
    queued_at = models.DateTimeField(
        default=timezone.now, help_text=_("Written, or re-sent from here: tries stop 72 hours after.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # The sender that took it; it is taken until next_attempt_at (a lease), then due again if unsettled.
    claim = models.UUIDField(null=True, blank=True, editable=False)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Why the last try failed; the store's own reason if it gave one."),
    )
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("xAPI statement")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False) | Q(promotion__isnull=False),
                name="xapi_statement_has_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.statement_id}"
