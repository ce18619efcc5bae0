from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD


def login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_and_successful_login(client, worker):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'for="id_username"' in page.content.decode()

    response = login(client, "voahangy", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")


def test_wrong_password_shows_an_error(client, worker):
    response = login(client, "voahangy", "nope")
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


def test_lockout_is_per_username_and_address(worker):
    attacker = Client()
    for _ in range(3):
        login(attacker, "voahangy", "guess", ip="203.0.113.9")
    locked = login(attacker, "voahangy", PASSWORD, ip="203.0.113.9")
    assert locked.status_code == 429
    assert "Too many tries" in locked.content.decode()

    # The real worker, from her own address, still gets in.
    response = login(Client(), "voahangy", PASSWORD, ip="198.51.100.7")
    assert response.status_code == 302


def test_logout_is_post_only(worker_client):
    assert worker_client.get(reverse("logout")).status_code == 405
    assert worker_client.post(reverse("logout")).status_code == 302
    assert worker_client.get(reverse("home")).status_code == 302


def test_staff_home_points_to_the_admin(client, assistant):
    client.force_login(assistant)
    html = client.get(reverse("home")).content.decode()
    assert 'href="/admin/"' in html
