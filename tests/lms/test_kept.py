"""`{% kept %}`: a part of a page rendered once per name, values, language and version, then kept."""

import pytest
from django.template import Context, Template
from django.utils import translation

from lms.templatetags import kept

PART = Template(
    '{% load kept %}{% kept "part" lesson version=version %}{{ lesson }}: {{ words }}{% endkept %}'
)


@pytest.fixture(autouse=True)
def empty(monkeypatch):
    monkeypatch.setattr(kept, "_kept", type(kept._kept)())


def render(**context) -> str:
    return PART.render(Context({"version": "v1", "lesson": 1, **context}))


def test_a_part_is_rendered_once_for_its_values_and_version():
    assert render(words="first") == "1: first"
    assert render(words="second") == "1: first"  # kept: what is not in its key does not change it
    assert render(words="second", lesson=2) == "2: second"
    assert render(words="third", version="v2") == "1: third"  # a new content version renders anew


def test_each_language_keeps_its_own_part():
    with translation.override("fr"):
        assert render(words="bonjour") == "1: bonjour"
    with translation.override("en"):
        assert render(words="hello") == "1: hello"
    with translation.override("fr"):
        assert render(words="hello") == "1: bonjour"


def test_without_a_version_nothing_is_kept():
    """The content version is None when the shared cache is unreachable, and on an editor's preview."""
    assert render(words="first", version=None) == "1: first"
    assert render(words="second", version=None) == "1: second"
    assert render(words="third") == "1: third"


def test_entries_expire_and_the_oldest_go_first(monkeypatch):
    monkeypatch.setattr(kept, "MAX_ENTRIES", 2)
    for lesson in (1, 2, 3):
        render(words="old", lesson=lesson)
    assert len(kept._kept) == 2 and render(words="new", lesson=1) == "1: new"
    later = kept.time.monotonic() + kept.VERSIONED_SECONDS + 1
    monkeypatch.setattr(kept.time, "monotonic", lambda: later)
    assert render(words="newer", lesson=3) == "3: newer"


def test_a_kept_part_needs_a_quoted_name():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template("{% load kept %}{% kept part %}x{% endkept %}")
