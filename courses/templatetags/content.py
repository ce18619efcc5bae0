"""`{{ item|localized:"title" }}`: an item's words in the reader's language, wherever it is shown.

A course or lesson (a page) reads its approved translation; a skill check, badge, task type or career
level reads the translation kept on its row; either falls back to the source text, never a blank.
"""

from django import template

from courses.translations import page_text
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
