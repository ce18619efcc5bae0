import re

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


def proxied(client, username, password, client_ip, spoofed=""):
    """A login through the production proxy: REMOTE_ADDR is the proxy; the proxy appends the client."""
    forwarded = f"{spoofed}, {client_ip}" if spoofed else client_ip
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_the_proxy_nobody_can_lock_a_worker_out_from_elsewhere(worker, settings):
    settings.LADDER_TRUSTED_PROXIES = 1
    attacker = Client()
    for _ in range(5):  # even writing the worker's own address first in the header
        proxied(attacker, "voahangy", "guess", client_ip="203.0.113.9", spoofed="198.51.100.7")
    assert proxied(attacker, "voahangy", PASSWORD, client_ip="203.0.113.9").status_code == 429

    response = proxied(Client(), "voahangy", PASSWORD, client_ip="198.51.100.7")
    assert response.status_code == 302


def test_one_address_trying_many_usernames_is_made_to_wait(make_worker, settings):
    settings.LADDER_LOGIN_FAILURES_PER_ADDRESS = 6
    names = [make_worker(f"target{n}").user.username for n in range(4)]
    attacker = Client()
    for n in range(6):  # two tries per account: no single account is locked
        assert login(attacker, names[n % 3], "guess", ip="203.0.113.50").status_code == 200
    refused = login(attacker, names[3], PASSWORD, ip="203.0.113.50")
    assert refused.status_code == 429 and "on this network" in refused.content.decode()
    assert login(Client(), names[3], PASSWORD, ip="198.51.100.8").status_code == 302


def test_a_password_reset_by_email_lifts_the_lockout(client, worker):
    import re

    from django.core import mail

    for _ in range(3):
        login(Client(), "voahangy", "guess")
    assert login(Client(), "voahangy", PASSWORD).status_code == 429
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200 and 'for="id_email"' in page.content.decode()
    sent = client.post(reverse("password_reset"), {"email": worker.user.email})
    assert sent.status_code == 302 and len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    new = "a-brand-new-password-9"
    saved = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert saved.status_code == 302
    assert login(Client(), "voahangy", new).status_code == 302


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, worker):
    from django.core import mail

    response = client.post(reverse("password_reset"), {"email": "nobody@ladder.example"})
    assert response.status_code == 302 and not mail.outbox


def test_a_manager_gives_a_locked_out_team_member_a_new_password(client, worker, manager, make_worker):
    for _ in range(3):
        login(Client(), "voahangy", "guess")
    client.force_login(manager)
    url = reverse("manager_worker_password", args=[worker.pk])
    assert client.get(url).status_code == 405
    page = client.post(url, follow=True).content.decode()
    password = re.search(r"New password for voahangy: (\S+) ", page).group(1)
    assert login(Client(), "voahangy", password).status_code == 302
    # Not for workers of other teams.
    other = make_worker("elsewhere")
    assert client.post(reverse("manager_worker_password", args=[other.pk])).status_code == 404
