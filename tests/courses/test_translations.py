"""An assistant translates a lesson with wagtail-localize; an expert approves it; workers read it.

Through the admin's own screens (wagtail-localize's submit view and string editor, Ladder's course
translations page, Wagtail's workflow action) — not by writing translation rows directly."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, Translation

from courses.models import FAQ, LessonPage
from courses.translations import Status, page_shown
from lms.services import worker_language_set

FRENCH = {
    "What is a tag?": "Qu’est-ce qu’une étiquette ?",
    "Read the label list before you start.": "Lisez la liste des étiquettes avant de commencer.",
}


@pytest.fixture
def french(db):
    return Locale.objects.get_or_create(language_code="fr")[0]


def _start(client, page, locale):
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]), {"locales": [locale.pk]}
    )
    assert response.status_code == 302, response.content[:500]
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=locale)


def _translate(client, record, texts):
    for segment in StringSegment.objects.filter(source=record.source).select_related("string", "context"):
        # The slug stays as it is (workers reach every language through the English URL).
        text = segment.string.data if segment.context.path == "slug" else texts[segment.string.data]
        response = client.put(
            reverse("wagtail_localize:edit_string_translation", args=[record.pk, segment.pk]),
            urlencode({"value": text}),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code in (200, 201), response.content


def _approve(client, page):
    page.refresh_from_db()
    state = page.current_workflow_task_state
    assert state is not None, "the translation is not in review"
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk]), {"comment": ""}
    )
    assert response.status_code in (200, 302)


def _status_of(client, page):
    html = client.get(reverse("course_translations") + "?language=fr").content.decode()
    found = re.search(rf'<tr id="translation-lesson-{page.pk}".*?</tr>', html, re.S)
    assert found, html
    return " ".join(found.group(0).split())


def test_translate_approve_outdate_and_keep_the_last_approved(
    client, worker, assistant, expert, course, lessons, french
):
    lesson = lessons[0]
    worker_language_set(worker=worker, language="fr")

    client.force_login(assistant)
    record = _start(client, lesson, french)
    draft = LessonPage.objects.get(translation_key=lesson.translation_key, locale=french)
    assert not draft.live, "a started translation is a draft, not shown to anyone"
    assert "Draft" in _status_of(client, lesson)
    assert "0 / 3" in _status_of(client, lesson)  # title, slug and the text block

    # Sending it to review before every segment is translated is refused, and nothing changes.
    response = client.post(reverse("course_translation_submit", args=[record.pk]), follow=True)
    assert "are not translated yet" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.workflow_in_progress

    _translate(client, record, FRENCH)
    assert "3 / 3" in _status_of(client, lesson)

    # Before approval the worker reads English, marked as such.
    client.force_login(worker.user)
    page = client.get(lesson.url).content.decode()
    assert "What is a tag?" in page and "Qu’est-ce" not in page
    assert "Pas encore traduit" in page  # "Not yet translated into your language", in French

    client.force_login(assistant)
    client.post(reverse("course_translation_submit", args=[record.pk]))
    draft.refresh_from_db()
    assert draft.workflow_in_progress and not draft.live
    assert "In expert review" in _status_of(client, lesson)

    client.force_login(expert)
    _approve(client, draft)
    draft.refresh_from_db()
    assert draft.live

    client.force_login(worker.user)
    page = client.get(lesson.url).content.decode()
    assert "Qu’est-ce qu’une étiquette ?" in page
    assert "Lisez la liste des étiquettes" in page
    assert "Read the label list" not in page
    assert "translation-note" not in page

    # The English source changes and is published again.
    lesson.refresh_from_db()
    lesson.body = [("text", "<p>Read the whole label list, twice, before you start.</p>")]
    lesson.save_revision(user=expert).publish(user=expert)

    client.force_login(assistant)
    assert "Out of date" in _status_of(client, lesson)
    assert page_shown(LessonPage.objects.get(pk=lesson.pk), "fr").status == Status.OUTDATED

    # The worker still reads the last approved translation, told that a newer English version exists.
    client.force_login(worker.user)
    page = client.get(lesson.url).content.decode()
    assert "Lisez la liste des étiquettes" in page
    assert "twice" not in page
    assert "Une version anglaise plus récente existe" in page

    # A worker of a language without a translation reads the new English source, marked as such.
    worker_language_set(worker=worker, language="sw")
    page = client.get(lesson.url).content.decode()
    assert "Read the whole label list, twice" in page
    assert 'lang="en"' in page


def test_a_translation_whose_source_is_unpublished_disappears(
    client, worker, assistant, expert, lessons, french
):
    lesson = lessons[0]
    client.force_login(assistant)
    record = _start(client, lesson, french)
    _translate(client, record, FRENCH)
    client.post(reverse("course_translation_submit", args=[record.pk]))
    client.force_login(expert)
    _approve(client, LessonPage.objects.get(translation_key=lesson.translation_key, locale=french))

    worker_language_set(worker=worker, language="fr")
    client.force_login(worker.user)
    assert client.get(lesson.url).status_code == 200
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404


def test_a_lesson_faq_in_the_readers_language_else_english(client, worker, lessons, make_faq, french):
    lesson = lessons[0]
    source = make_faq("Can I skip a picture?", "<p>Yes, when it is unreadable.</p>", lessons=[lesson])
    translated = source.copy_for_translation(french)
    translated.question = "Puis-je passer une image ?"
    translated.answer = "<p>Oui, quand elle est illisible.</p>"
    translated.save()
    translated.save_revision().publish()
    make_faq("Who reviews my tags?", "<p>A team lead.</p>", lessons=[lesson])
    born_in_bengali = make_faq("প্রশ্ন?", "<p>উত্তর।</p>", lessons=[lesson])
    FAQ.objects.filter(pk=born_in_bengali.pk).update(
        locale=Locale.objects.get_or_create(language_code="bn")[0]
    )

    worker_language_set(worker=worker, language="fr")
    client.force_login(worker.user)
    page = client.get(lesson.url).content.decode()
    assert "Puis-je passer une image ?" in page and "Can I skip a picture?" not in page
    assert "Who reviews my tags?" in page  # not translated: shown in English, marked lang="en"
    assert "প্রশ্ন" not in page  # a Bengali-only FAQ is for Bengali readers

    worker_language_set(worker=worker, language="en")
    page = client.get(lesson.url).content.decode()
    assert "Can I skip a picture?" in page and "Puis-je" not in page


def test_a_question_asked_in_french_becomes_a_french_faq(
    client, worker, make_worker, assistant, expert, lessons, french
):
    from courses import services

    worker_language_set(worker=worker, language="fr")
    lesson = lessons[0]
    question = services.question_ask(worker=worker, lesson=lesson, text="Faut-il étiqueter les reflets ?")
    assert question.language == "fr"
    client.force_login(assistant)
    listing = client.get(reverse("worker_questions:index")).content.decode()
    assert "Français" in listing  # the assistant sees which language to answer in
    services.question_answer(
        question=question, answer="Non : seulement les objets de la liste.", by=assistant
    )
    faq = services.question_promote_to_faq(question=question, by=expert)
    assert faq.live and faq.locale.language_code == "fr"

    client.force_login(worker.user)
    assert "Faut-il étiqueter les reflets ?" in client.get(lesson.url).content.decode()
    english = make_worker("reader")
    client.force_login(english.user)
    assert "Faut-il étiqueter les reflets ?" not in client.get(lesson.url).content.decode()
