"""Every state change of the assignment bridge goes through these functions."""

from assignment.services.api_clients import api_client_authenticate, api_client_create, api_client_revoke
from assignment.services.eligibility import (
    eligibility_recompute,
    eligibility_recompute_task_type,
    eligibility_settle,
    task_type_changed,
    task_types_stale,
)
from assignment.services.quality import (
    AppealError,
    appeal_answer,
    appeal_create,
    quality_check,
    suspension_lift,
    suspensions_lift_for_refresher,
)
from assignment.services.webhooks import (
    webhook_deliver,
    webhook_emit,
    webhook_endpoint_create,
    webhook_resend,
    webhooks_due,
)
from assignment.services.work_results import WorkResultConflict, WorkResultErrors, work_results_ingest
from assignment.services.xapi import (
    xapi_backfill,
    xapi_record_event,
    xapi_record_promotion,
    xapi_resend,
    xapi_resend_dead,
    xapi_send,
)

__all__ = [
    "AppealError",
    "WorkResultConflict",
    "WorkResultErrors",
    "api_client_authenticate",
    "api_client_create",
    "api_client_revoke",
    "appeal_answer",
    "appeal_create",
    "eligibility_recompute",
    "eligibility_recompute_task_type",
    "eligibility_settle",
    "quality_check",
    "suspension_lift",
    "suspensions_lift_for_refresher",
    "task_type_changed",
    "task_types_stale",
    "webhook_deliver",
    "webhook_emit",
    "webhook_endpoint_create",
    "webhook_resend",
    "webhooks_due",
    "work_results_ingest",
    "xapi_backfill",
    "xapi_record_event",
    "xapi_record_promotion",
    "xapi_resend",
    "xapi_resend_dead",
    "xapi_send",
]
