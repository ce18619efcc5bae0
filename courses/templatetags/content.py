"""`{{ item|localized:"title" }}`: an item's words in the reader's language, wherever it is shown.

A course or lesson (a page) reads its approved translation; a skill check, badge, task type or career
level reads the translation kept on its row; either falls back to the source text, never a blank.
"""

from django import template

from courses.translations import SOURCE_LANGUAGE, page_text, reading_language
from lms.translatable import Translatable

register = template.Library()


@register.filter
def localized(item, field: str) -> str:
    if item is None or item == "":
        return ""
    if isinstance(item, Translatable):
        return item.translated(field)
    if getattr(item, "translation_key", None) is not None:
        return page_text(item, field)
    return getattr(item, field, "")


@register.filter
def untranslated(item) -> bool:
    """True when the reader's language is not the source and the item's words are not all translated
    into it (the page then says the source is shown)."""
    language = reading_language()
    if language == SOURCE_LANGUAGE or not isinstance(item, Translatable):
        return False
    progress = item.translation_progress(language)
    return progress.total > 0 and progress.translated < progress.total


@register.filter
def any_in_source(questions) -> bool:
    """True when a question of an attempt is shown in the source language to a reader of another."""
    language = reading_language()
    return language != SOURCE_LANGUAGE and any(q.get("language", language) != language for q in questions)
