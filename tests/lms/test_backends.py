"""Signing in reads the worker with the user; sessions made before that backend stay signed in."""

import pytest
from django.contrib.auth import SESSION_KEY, get_user
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD


def test_signing_in_uses_the_backend_that_reads_the_worker_with_the_user(client, worker):
    response = client.post(reverse("login"), {"username": "voahangy", "password": PASSWORD})
    assert response.status_code == 302
    request = type("Request", (), {"session": client.session})()
    user = get_user(request)
    assert client.session["_auth_user_backend"] == "lms.backends.WorkerModelBackend"
    assert user.pk == worker.user_id and "worker" in user._state.fields_cache  # no query to come for it


@pytest.mark.parametrize(
    "backend", ["django.contrib.auth.backends.ModelBackend", "lms.backends.WorkerModelBackend"]
)
def test_a_session_of_either_backend_is_signed_in(backend, worker):
    client = Client()
    client.force_login(worker.user, backend=backend)
    response = client.get(reverse("home"))
    assert response.status_code == 200 and client.session[SESSION_KEY] == str(worker.user_id)
    assert f'data-user="{worker.user_id}"' in response.content.decode()


def test_a_staff_user_without_a_worker_profile_is_signed_in(client, admin_user):
    client.force_login(admin_user, backend="lms.backends.WorkerModelBackend")
    assert client.get("/admin/").status_code == 200  # signed out, it would be sent to the sign-in page
    html = client.get(reverse("faq_search")).content.decode()
    assert f'data-user="{admin_user.pk}"' in html and reverse("my_work") not in html


def test_an_inactive_user_is_signed_out(client, worker):
    client.force_login(worker.user, backend="lms.backends.WorkerModelBackend")
    worker.user.is_active = False
    worker.user.save(update_fields=["is_active"])
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/login/" in response["Location"]
