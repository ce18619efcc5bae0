"""Which language pages speak: the worker's profile, else the browser; unknown codes are English."""

import pytest
from django.urls import reverse

from lms.languages import language_from_browser, language_supported
from lms.models import WorkerProfile


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fr", "fr"),
        ("fr-CA", "fr"),
        ("BN_in", "bn"),
        ("mg", "mg"),
        ("sw-KE", "sw"),
        ("es", "en"),  # not shipped
        ("zz", "en"),
        ("", "en"),
        (None, "en"),
        ("x" * 5000, "en"),
    ],
)
def test_a_code_becomes_a_shipped_language_or_english(code, expected):
    assert language_supported(code) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bn-IN,bn;q=0.9,en;q=0.8", "bn"),
        ("de-DE,de;q=0.9,fr;q=0.7", "fr"),  # the first language Ladder ships
        ("xx, yy;q=0.5", "en"),
        ("*", "en"),
        ("hi;q=garbage,,,;;", "en"),
        ("sw;q=0.1," * 500, "sw"),  # cut to a sane length, never an error
    ],
)
def test_before_login_the_browser_decides(rf, header, expected):
    assert language_from_browser(rf.get("/", HTTP_ACCEPT_LANGUAGE=header)) == expected


def test_a_worker_reads_their_own_language_whatever_the_browser_says(client, worker):
    worker.language = "fr"
    worker.save(update_fields=["language"])
    client.force_login(worker.user)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="bn")
    assert page.status_code == 200
    assert page["Content-Language"] == "fr"
    assert '<html lang="fr" dir="ltr">' in page.content.decode()
    assert "Accept-Language" in page["Vary"]


def test_the_log_in_page_follows_the_browser_and_unknown_languages_are_english(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="hi-IN,hi;q=0.9")
    assert '<html lang="hi"' in page.content.decode()
    assert page["Content-Language"] == "hi"
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="tlh")
    assert '<html lang="en"' in page.content.decode()


def test_every_page_shows_the_language_control_as_a_plain_form(client, worker):
    client.force_login(worker.user)
    html = client.get(reverse("my_work")).content.decode()
    assert f'action="{reverse("language_set")}"' in html and 'method="post"' in html
    assert '<label for="language-choice">' in html and 'name="csrfmiddlewaretoken"' in html
    for code in ("en", "fr", "mg", "bn", "hi", "sw"):
        assert f'<option value="{code}" lang="{code}"' in html
    assert '<option value="en" lang="en" selected>' in html


def test_a_worker_changes_their_language_and_it_is_kept_on_their_profile(client, worker):
    client.force_login(worker.user)
    answer = client.post(reverse("language_set"), {"language": "bn", "next": reverse("my_work")})
    assert answer.status_code == 302 and answer.url == reverse("my_work")
    assert WorkerProfile.objects.get(pk=worker.pk).language == "bn"
    page = client.get(answer.url)
    assert '<html lang="bn"' in page.content.decode()
    assert '<option value="bn" lang="bn" selected>' in page.content.decode()


def test_an_unknown_language_is_english_and_a_foreign_next_goes_home(client, worker):
    worker.language = "fr"
    worker.save(update_fields=["language"])
    client.force_login(worker.user)
    answer = client.post(reverse("language_set"), {"language": "klingon", "next": "https://evil.example/"})
    assert answer.url == reverse("home")
    assert WorkerProfile.objects.get(pk=worker.pk).language == "en"


def test_before_login_the_choice_is_kept_on_this_browser(client):
    answer = client.post(reverse("language_set"), {"language": "sw", "next": reverse("login")})
    assert answer.url == reverse("login")
    cookie = answer.cookies["ladder_language"]
    assert cookie.value == "sw" and cookie["httponly"] and cookie["samesite"] == "Lax"
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="sw"' in page.content.decode()


def test_choosing_a_language_needs_a_post(client):
    assert client.get(reverse("language_set")).status_code == 405


def test_django_s_own_words_follow_the_language(client, worker):
    """What Django itself says (here, a refused log-in) already follows the language."""
    client.post(reverse("language_set"), {"language": "fr"})
    page = client.post(reverse("login"), {"username": worker.user.username, "password": "not-it"})
    assert "Saisissez un nom d" in page.content.decode()


def test_what_ladder_s_code_says_follows_the_language_too(worker_client, worker, lessons, task_types):
    """Form errors, refusals and pay come from Python, not templates: they are translated as well."""
    worker.language = "fr"
    worker.save(update_fields=["language"])
    lesson = lessons[0]
    worker_client.get(lesson.url)
    page = worker_client.post(reverse("question_ask", args=[lesson.pk]), {"text": ""})
    assert page.status_code == 422
    assert "Écrivez d’abord votre question." in page.content.decode()
    html = worker_client.get(reverse("my_work")).content.decode()
    assert "0,02 USD par tâche" in html


def test_a_manager_s_messages_follow_their_language(client, manager, worker):
    client.force_login(manager)
    client.post(reverse("language_set"), {"language": "fr"})
    answer = client.post(reverse("manager_team_goal", args=[worker.team_id]), {"minutes": "5"}, follow=True)
    assert "L’objectif doit être un nombre de minutes de 30 à 2400." in answer.content.decode()
    answer = client.post(reverse("manager_team_goal", args=[worker.team_id]), {"minutes": "60"}, follow=True)
    assert "Annotators : l’objectif hebdomadaire est maintenant de 60 minutes." in answer.content.decode()


def test_the_bridge_api_answers_programs_in_no_readers_language(client, worker, api_key):
    answer = client.get(
        f"/api/v1/workers/{worker.external_id}/eligibility",
        HTTP_AUTHORIZATION=f"Bearer {api_key()}",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert answer.status_code == 200
    assert "Content-Language" not in answer and "Accept-Language" not in answer.get("Vary", "")
    assert client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "fr"
