"""Which words of a course, lesson or FAQ a worker reads: their language's approved translation.

The English tree is the source and what every URL, progress record and learning-time row names.
Assistants translate a page with wagtail-localize into a parallel tree of the same pages in another
locale; an expert approves it through the same review workflow, which publishes it. A worker whose
language has a *live* (approved) translation reads it — the last approved one, even after the source
changed since (marked: a newer English version exists) — and otherwise reads the source, marked as
such. Everything here is kept per content version (`shared_parts.memoised`), so reading a translated
lesson costs what reading the English one does.
"""

from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.utils.translation import get_language
from wagtail.models import Page
from wagtail_localize.models import Translation

from courses.models import FAQ, CoursePage, LessonPage
from courses.shared_parts import memoised
from lms.languages import language_supported

SOURCE_LANGUAGE = settings.LANGUAGE_CODE


class Status:
    SOURCE = "source"  # the reader's language is the source language
    TRANSLATED = "translated"  # an approved translation of the current source
    OUTDATED = "outdated"  # the last approved translation; the source changed after it
    MISSING = "missing"  # no approved translation: the source is shown


@dataclass(frozen=True)
class Shown:
    page: Page
    language: str
    status: str

    @property
    def noted(self) -> bool:
        return self.status in (Status.OUTDATED, Status.MISSING)


def reading_language(language: str | None = None) -> str:
    return language_supported(language or get_language())


def _live_translation(page: Page, language: str) -> Page | None:
    return (
        type(page)
        .objects.filter(
            translation_key=page.translation_key, locale__language_code=language, live=True, alias_of=None
        )
        .first()
    )


def page_shown(page: Page, language: str | None = None) -> Shown:
    """The version of a source page to show a reader of `language`."""
    language = reading_language(language)
    if language == SOURCE_LANGUAGE:
        return Shown(page, SOURCE_LANGUAGE, Status.SOURCE)
    (translation,) = memoised(
        ("translation", page.pk, language), lambda: (_live_translation(page, language),)
    )
    if translation is None:
        return Shown(page, SOURCE_LANGUAGE, Status.MISSING)
    outdated = (
        page.last_published_at is not None
        and translation.last_published_at is not None
        and translation.last_published_at < page.last_published_at
    )
    return Shown(translation, language, Status.OUTDATED if outdated else Status.TRANSLATED)


def _texts_build(language: str) -> dict[UUID, dict[str, str]]:
    texts: dict[UUID, dict[str, str]] = {}
    for model in (CoursePage, LessonPage):
        # An alias (a parent wagtail-localize copied to hold a translated child) is not a translation.
        rows = model.objects.filter(locale__language_code=language, live=True, alias_of=None).values_list(
            "translation_key", "title", "summary", *(("skill",) if model is CoursePage else ())
        )
        for key, title, summary, *skill in rows:
            texts[key] = {"title": title, "summary": summary, "skill": skill[0] if skill else ""}
    return texts


def page_text(page, field: str, language: str | None = None) -> str:
    """A course's or lesson's title or summary in the reader's language when an approved translation
    has it, else the source's. One dictionary per language and content version: no query per page."""
    source = getattr(page, field, "") or ""
    language = reading_language(language)
    key = getattr(page, "translation_key", None)
    if language == SOURCE_LANGUAGE or key is None:
        return source
    translated = memoised(("page-texts", language), lambda: _texts_build(language)).get(key, {})
    return translated.get(field) or source


def faqs_in_language(faqs: list[FAQ], language: str) -> list[tuple[FAQ, str]]:
    """(FAQ, its language) for each source FAQ: its approved translation into `language` if there is
    one, else the source."""
    if language == SOURCE_LANGUAGE or not faqs:
        return [(faq, faq_language(faq)) for faq in faqs]
    translated = {
        faq.translation_key: faq
        for faq in FAQ.objects.filter(
            translation_key__in=[faq.translation_key for faq in faqs],
            locale__language_code=language,
            live=True,
        )
    }
    shown = []
    for faq in faqs:
        if faq.translation_key in translated:
            shown.append((translated[faq.translation_key], language))
        else:
            shown.append((faq, faq_language(faq)))
    return shown


def faq_language(faq: FAQ) -> str:
    return memoised(("locale", faq.locale_id), lambda: faq.locale.language_code)


class Progress:
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    OUT_OF_DATE = "out_of_date"


@dataclass(frozen=True)
class TranslationRow:
    """One course, lesson or FAQ and where its translation into one language stands."""

    source: object
    kind: str
    translation: object | None
    state: str
    segments_total: int
    segments_done: int
    wagtail_translation_id: int | None
    translation_source_id: int | None


def _state(source, translation) -> str:
    if translation is None:
        return Progress.NOT_STARTED
    if translation.workflow_in_progress:
        return Progress.IN_REVIEW
    if not translation.live:
        return Progress.DRAFT
    published, source_published = translation.last_published_at, source.last_published_at
    if published is not None and source_published is not None and published < source_published:
        return Progress.OUT_OF_DATE
    return Progress.PUBLISHED


def translation_rows(*, language: str) -> list[TranslationRow]:
    """Every source course, lesson and FAQ with its translation into `language`: not started, a draft,
    in expert review, published, or out of date (the source was published again after it)."""
    rows = []
    sources: list[tuple[str, object]] = [
        ("course" if isinstance(page, CoursePage) else "lesson", page)
        for model in (CoursePage, LessonPage)
        for page in model.objects.filter(locale__language_code=SOURCE_LANGUAGE, alias_of=None)
    ]
    sources.sort(key=lambda item: item[1].path)
    sources += [("faq", faq) for faq in FAQ.objects.filter(locale__language_code=SOURCE_LANGUAGE)]
    for kind, source in sources:
        model = type(source)
        translations = model.objects.filter(
            translation_key=source.translation_key, locale__language_code=language
        )
        if isinstance(source, Page):
            translations = translations.filter(alias_of=None)
        translation = translations.first()
        record = (
            Translation.objects.filter(
                source__object_id=source.translation_key, target_locale__language_code=language
            ).first()
            if translation is not None
            else None
        )
        total, done = record.get_progress() if record is not None else (0, 0)
        rows.append(
            TranslationRow(
                source=source,
                kind=kind,
                translation=translation,
                state=_state(source, translation),
                segments_total=total,
                segments_done=done,
                wagtail_translation_id=record.pk if record is not None else None,
                translation_source_id=record.source_id if record is not None else None,
            )
        )
    return rows
