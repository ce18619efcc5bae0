"""The interface catalogs: every placeholder kept, nothing fuzzy, the shipped languages complete, and a
worker's pages in their language show none of the English they were translated from."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%%|\{[a-z_]*\}")
# Languages whose catalog is complete: every message of the worker pages translated.
COMPLETE = ["fr", "mg", "bn", "hi", "sw"]


def catalog(language: str) -> list[dict]:
    """The entries of a catalog written by `make messages` (one line per string: --no-wrap)."""
    entries, entry = [], None
    for line in (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8").splitlines():
        if line.startswith("#,"):
            entry = {"flags": line[2:].strip(), "msgstr": []}
        elif line.startswith(("msgctxt ", "msgid ")):
            if entry is None or "msgid" in entry:
                entry = {"flags": "", "msgstr": []}
            key, _, value = line.partition(" ")
            entry[key] = value[1:-1].replace('\\"', '"')
            if key == "msgid":
                entries.append(entry)
        elif line.startswith("msgid_plural "):
            entry["msgid_plural"] = line[14:-1].replace('\\"', '"')
        elif line.startswith("msgstr"):
            entry["msgstr"].append(line.partition(" ")[2][1:-1].replace('\\"', '"'))
    return [e for e in entries if e["msgid"]]  # not the header


def languages() -> list[str]:
    return sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES" / "django.po").exists())


def test_a_catalog_for_every_shipped_language_but_english():
    assert languages() == sorted(code for code, _ in settings.LANGUAGES if code != "en")


@pytest.mark.parametrize("language", languages())
def test_msgfmt_accepts_the_catalog(language):
    """msgfmt --check: the header, plural forms and the python-format placeholders of every entry."""
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext is missing: `make install` installs it"
    result = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", languages())
def test_every_translation_keeps_the_placeholders_of_its_source(language):
    for entry in catalog(language):
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for n, translation in enumerate(entry["msgstr"]):
            if not translation:
                continue
            source = sources[min(n, 1)]
            assert sorted(PLACEHOLDER.findall(translation)) == sorted(PLACEHOLDER.findall(source)), (
                language,
                source,
                translation,
            )


@pytest.mark.parametrize("language", COMPLETE)
def test_a_complete_catalog_has_nothing_untranslated_or_fuzzy(language):
    entries = catalog(language)
    assert entries
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in entries if not all(e["msgstr"])] == []


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def english_left(html: str, entries: list[dict]) -> list[str]:
    """Source sentences (two words or more, placeholders aside) still visible on the page."""
    text = visible_text(html)
    left = []
    for entry in entries:
        for source, translation in zip(
            [entry["msgid"], entry.get("msgid_plural")], entry["msgstr"], strict=False
        ):
            if not source or source == translation:
                continue
            for piece in PLACEHOLDER.split(visible_text(source)):
                piece = piece.strip(" .,:;!?()·")
                if len(piece.split()) >= 2 and piece in text:
                    left.append(piece)
    return left


@pytest.mark.parametrize("language", COMPLETE)
def test_a_worker_s_pages_show_no_english_left(language, worker_client, worker, lessons, course):
    worker.language = language
    worker.save(update_fields=["language"])
    entries = catalog(language)
    pages = [
        reverse("home"),
        reverse("my_work"),
        reverse("my_badges"),
        reverse("my_questions"),
        reverse("about_me"),
        reverse("faq_search") + "?q=nothing+like+this",
        course.url,
        lessons[0].url,
    ]
    for url in pages:
        page = worker_client.get(url)
        assert page.status_code == 200, url
        assert f'<html lang="{language}"' in page.content.decode()
        assert english_left(page.content.decode(), entries) == [], url


@pytest.mark.parametrize("language", COMPLETE)
def test_a_manager_s_team_pages_show_no_english_left(language, client, manager, worker):
    """A manager is no worker: the language comes from their browser."""
    client.force_login(manager)
    entries = catalog(language)
    pages = (
        reverse("manager_team_week"),
        reverse("manager_readiness"),
        reverse("manager_worker", args=[worker.pk]),
        reverse("impact"),
    )
    for url in (*pages, reverse("home")):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200, url
        assert f'<html lang="{language}"' in page.content.decode()
        assert english_left(page.content.decode(), entries) == [], url
