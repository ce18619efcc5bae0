"""Words a worker reads in their language, on records that stay one item in every language.

A skill check, a question and its choices, a badge, a task type or a career level is graded, awarded
and counted as one thing whatever language it is read in; only its words change. So each language's
words live on the same row as the source (`translations`), by *segment* (a field, or one choice or
label of a question), each kept with a fingerprint of the source text it translates. When the source
changes, that segment's translation is out of date: a worker reads the source text (in the source
language, marked as such) until an assistant translates the new text — never a stale translation of
words that may now mean something else, and never a blank.

Stored as ``{"fr": {"title": ["Étiqueter des images", "3f2a…"]}}``.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import get_language

SOURCE_LANGUAGE = settings.LANGUAGE_CODE
SEGMENT_MAX_LENGTH = 4000


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()[:16]


def target_languages() -> list[tuple[str, str]]:
    """The shipped languages an assistant translates into (all but the source)."""
    return [(code, name) for code, name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


@dataclass(frozen=True)
class Segment:
    key: str
    source: str
    multiline: bool = False


@dataclass(frozen=True)
class Progress:
    total: int
    translated: int
    outdated: int

    @property
    def missing(self) -> int:
        return self.total - self.translated - self.outdated

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.translated == self.total


class Translatable(models.Model):
    """Give a model `translatable_fields` (short text) and `translatable_long_fields`; override
    `segments()` to add parts that are not fields (a question's choices)."""

    translations = models.JSONField(default=dict, blank=True, editable=False)

    translatable_fields: tuple[str, ...] = ()
    translatable_long_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def segments(self) -> list[Segment]:
        fields = [(name, False) for name in self.translatable_fields]
        fields += [(name, True) for name in self.translatable_long_fields]
        return [
            Segment(name, getattr(self, name), multiline)
            for name, multiline in fields
            if (getattr(self, name) or "").strip()
        ]

    def text_in(self, key: str, source: str, language: str | None = None) -> tuple[str, str]:
        """(text, its language) for `key` whose source text is `source`: the translation into
        `language` (default: the active one) if it translates this very source text, else the source."""
        language = language or get_language() or SOURCE_LANGUAGE
        if language != SOURCE_LANGUAGE and source:
            kept = (self.translations or {}).get(language, {}).get(key)
            if kept and kept[1] == fingerprint(source) and kept[0].strip():
                return kept[0], language
        return source, SOURCE_LANGUAGE

    def translated(self, field: str, language: str | None = None) -> str:
        return self.text_in(field, getattr(self, field) or "", language)[0]

    def translation_progress(self, language: str) -> Progress:
        kept = (self.translations or {}).get(language, {})
        translated = outdated = 0
        segments = self.segments()
        for segment in segments:
            if segment.key in kept:
                if kept[segment.key][1] == fingerprint(segment.source):
                    translated += 1
                else:
                    outdated += 1
        return Progress(total=len(segments), translated=translated, outdated=outdated)

    def translations_with(self, language: str, texts: dict[str, str]) -> dict:
        """The `translations` value with `texts` (segment key → translated text; blank removes it)
        set for `language`, each fingerprinted against the current source text."""
        sources = {segment.key: segment.source for segment in self.segments()}
        merged = {lang: dict(values) for lang, values in (self.translations or {}).items()}
        kept = merged.setdefault(language, {})
        for key, text in texts.items():
            if key not in sources:
                continue
            text = (text or "").strip()
            if text:
                kept[key] = [text, fingerprint(sources[key])]
            else:
                kept.pop(key, None)
        if not kept:
            merged.pop(language)
        return merged


_registry: list[type[Translatable]] = []


def register(model: type[Translatable]) -> None:
    """List a model on the admin's translation screens (each app registers its own in `ready`)."""
    if model not in _registry:
        _registry.append(model)


def registered() -> list[type[Translatable]]:
    return list(_registry)


def registered_model(label: str) -> type[Translatable] | None:
    """The registered model named `app_label.model_name`, or None."""
    return next((model for model in _registry if model._meta.label_lower == label), None)
