"""Signing in reads the worker with the user; sessions made before that backend stay signed in."""

import pytest
from django.contrib.auth import SESSION_KEY, get_user, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from lms.backends import WorkerModelBackend, user_with_worker
from lms.models import WorkerProfile
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


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_user_and_worker_read_in_one_query_are_those_the_orm_reads(
    worker, admin_user, django_assert_num_queries
):
    worker.weekly_goal_minutes = 45
    worker.save(update_fields=["weekly_goal_minutes"])
    User = get_user_model()
    with django_assert_num_queries(1):
        user = user_with_worker(str(worker.user_id))  # as the session holds it
        assert user.worker.user is user
    stored = User.objects.select_related("worker").get(pk=worker.user_id)
    assert _fields(user) == _fields(stored) and _fields(user.worker) == _fields(stored.worker)
    assert type(user.last_login) is type(stored.last_login) and user.is_active is True

    with django_assert_num_queries(1):
        staff = user_with_worker(admin_user.pk)
        with pytest.raises(WorkerProfile.DoesNotExist):
            staff.worker  # noqa: B018 (answered from what was read: no second query)
    assert _fields(staff) == _fields(User.objects.get(pk=admin_user.pk))
    assert user_with_worker("not-a-number") is None and user_with_worker(10**9) is None


def test_permissions_are_read_in_one_query_and_are_django_s(db, django_assert_num_queries):
    User = get_user_model()
    own, shared, both, other = Permission.objects.order_by("pk")[:4]
    group, elsewhere = Group.objects.create(name="Readers"), Group.objects.create(name="Others")
    group.permissions.add(shared, both)
    elsewhere.permissions.add(other)
    user = User.objects.create_user("reader")
    user.user_permissions.add(own, both)
    user.groups.add(group)
    User.objects.create_user("bystander").groups.add(elsewhere)

    expected = ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))
    assert len(expected) == 3 and f"{other.content_type.app_label}.{other.codename}" not in expected
    fresh = User.objects.get(pk=user.pk)
    own_label = f"{own.content_type.app_label}.{own.codename}"
    with django_assert_num_queries(1):
        assert WorkerModelBackend().get_all_permissions(fresh) == expected
        assert fresh.has_perm(own_label) and not fresh.has_perm("lms.no_such_permission")  # kept: no query
    assert WorkerModelBackend().get_all_permissions(User.objects.get(username="bystander")) == {
        f"{other.content_type.app_label}.{other.codename}"
    }
    user.is_active = False
    assert WorkerModelBackend().get_all_permissions(user) == set()
    superuser = User.objects.create_superuser("root", password=None)
    assert WorkerModelBackend().get_all_permissions(superuser) == ModelBackend().get_all_permissions(
        superuser
    )
    assert len(ModelBackend().get_all_permissions(superuser)) == Permission.objects.count()
