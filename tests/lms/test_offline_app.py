"""The installable app: the service worker, the manifest, the offline page and a course's offline pack."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings

from courses.models import CoursePage
from lms import offline


def test_the_service_worker_is_served_from_the_root_and_always_checked(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    urls, version = offline.shell()
    body = response.content.decode()
    assert f'var VERSION = "{version}";' in body
    assert json.loads(body.split("var FILES = ", 1)[1].split(";\n", 1)[0]) == urls
    assert 'var OFFLINE = "/offline/";' in body


def test_every_file_the_service_worker_caches_exists(client):
    urls, _version = offline.shell()
    for name in urls:
        assert finders.find(name), name


@override_settings(DEBUG=True)
def test_the_version_changes_with_any_file_it_caches(tmp_path, settings):
    before = offline.shell()[1]
    copy = tmp_path / "js"
    copy.mkdir()
    original = finders.find("js/queue.js")
    (copy / "queue.js").write_text(Path(original).read_text() + "\n// changed\n")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    finders.get_finder.cache_clear()
    try:
        assert offline.shell()[1] != before
    finally:
        finders.get_finder.cache_clear()


def test_the_manifest_installs_ladder_in_the_readers_language(client):
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="fr")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["lang"] == "fr"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert "badges" in manifest["description"]  # "Apprenez … gagnez des badges …"
    assert manifest["description"] != "Learn between tasks, earn badges, unlock better-paid work."
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert sizes == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon


def test_the_offline_page_is_public_and_light(client):
    response = client.get("/offline/")

    assert response.status_code == 200
    assert b"You are offline" in response.content
    assert len(response.content) < 10_000


@pytest.fixture
def illustrated(course, make_lesson, picture):
    image = {"image": picture, "alt_text": "A street", "caption": ""}
    return [
        make_lesson(course, "Look", body=[("image", image), ("text", "<p>Tag it.</p>")]),
        make_lesson(course, "Tag"),
        make_lesson(course, "Draft", live=False),
    ]


def test_a_course_pack_lists_its_pages_and_phone_sized_pictures_with_their_size(
    worker_client, course, illustrated, picture
):
    response = worker_client.get(f"/courses/{course.pk}/offline.json")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    pack = response.json()
    assert pack["pages"] == [course.url, illustrated[0].url, illustrated[1].url]  # not the draft
    rendition = picture.get_rendition("width-360|format-webp")
    assert pack["images"] == [rendition.url]
    assert pack["bytes"] > rendition.file.size
    assert pack["size"].endswith("KB")
    for url in pack["pages"] + pack["images"]:
        assert worker_client.get(url).status_code == 200, url


def test_an_unpublished_course_has_no_pack(worker_client, course, illustrated):
    course.unpublish()

    assert worker_client.get(f"/courses/{course.pk}/offline.json").status_code == 404


def test_the_course_page_offers_saving_only_to_workers(worker_client, client, course, illustrated, assistant):
    page = worker_client.get(course.url).content.decode()
    assert f'data-pack-url="/courses/{course.pk}/offline.json"' in page
    assert "Save for offline" in page

    client.force_login(assistant)
    assert "data-pack-url" not in client.get(course.url).content.decode()


def test_the_first_picture_of_a_lesson_loads_at_once_and_the_rest_when_scrolled_to(
    worker_client, course, make_lesson, picture
):
    image = {"image": picture, "alt_text": "A street", "caption": ""}
    example = {
        "right_image": picture,
        "right_caption": "Tight",
        "wrong_image": picture,
        "wrong_caption": "Loose",
    }
    lesson = make_lesson(
        course, "Pictures", body=[("text", "<p>Look.</p>"), ("image", image), ("example", example)]
    )

    html = worker_client.get(lesson.url).content.decode()

    loading = re.findall(r'<img[^>]*loading="(\w+)"', html)
    assert loading == ["eager", "lazy", "lazy"]
    assert 'srcset="' in html and "format-webp" in html


@pytest.mark.slow
def test_a_pack_is_titled_in_the_readers_language(client, make_worker):
    call_command("seed_demo", workers=1, cohort=0, password="demo-pass-123")
    client.force_login(make_worker("lova", language="fr").user)
    course = CoursePage.objects.get(slug="image-tagging-basics", locale__language_code="en")
    pack = client.get(f"/courses/{course.pk}/offline.json").json()
    assert pack["title"] != course.title  # the approved French title
    assert pack["pages"][0] == course.url  # the same pages, whatever the language
