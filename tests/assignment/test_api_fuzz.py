"""Schemathesis drives the bridge API from its own OpenAPI document: no input may cause a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

pytestmark = pytest.mark.slow

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_test_connection():
    """As Django's test client does: the request must not close the connection holding the test's data."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def bearer(api_key, task_types, make_worker, entry_badge, assistant):
    from assessments import services as assessment_services

    worker = make_worker("fuzz-worker")
    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior learning")
    return {"Authorization": f"Bearer {api_key()}"}


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_bridge_api_never_fails_on_any_input(case, bearer):
    case.call_and_validate(
        headers=bearer, checks=[not_a_server_error, status_code_conformance, response_schema_conformance]
    )
