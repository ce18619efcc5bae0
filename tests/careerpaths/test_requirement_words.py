"""Readiness requirements are stored as numbers and worded in the reader's language when shown."""

import pytest
from django.utils import translation

from careerpaths.requirements import describe, missing_badge_names
from lms.services import item_translation_save


def test_each_requirement_is_worded_from_its_numbers_in_the_active_language():
    badges = {"kind": "badges", "held": 1, "needed": 2, "met": False, "missing_slugs": []}
    streak = {"kind": "streak", "weeks": 1, "need": 1, "met": True}
    accuracy = {"kind": "accuracy", "percent": 88, "need": 92, "tasks": 140, "days": 28, "met": False}
    silent = {"kind": "accuracy", "percent": None, "need": 92, "tasks": 0, "days": 28, "met": False}
    with translation.override("en"):
        assert describe(badges) == "1 of 2 badges"
        assert describe(streak) == "Learning streak 1 of 1 week"
        assert describe(accuracy) == "Work accuracy 88% of 92% (140 tasks, 28 days)"
        assert describe(silent) == "Work accuracy 92%: no work reported in 28 days"
        assert describe({"kind": "approval", "met": False}) == "A manager's approval"
    with translation.override("fr"):
        assert describe(badges) == "1 sur 2 badges"
        assert describe(streak) == "Série d’apprentissage : 1 semaine sur 1"
        assert describe(accuracy) == "Précision du travail 88 % sur 92 % (140 tâches, 28 jours)"
        assert describe({"kind": "approval", "met": False}) == "L’approbation d’un responsable"


def test_a_record_written_before_the_numbers_shows_its_stored_label():
    with translation.override("fr"):
        assert describe({"kind": "badges", "label": "1 of 2 badges", "met": False}) == "1 of 2 badges"


@pytest.mark.django_db
def test_missing_badges_are_named_in_the_readers_language(badge, expert):
    item_translation_save(item=badge, language="bn", texts={"name": "ব্যাজ"}, by=expert)
    item = {"kind": "badges", "held": 0, "needed": 1, "met": False, "missing_slugs": [badge.slug]}
    with translation.override("bn"):
        assert missing_badge_names(item) == ["ব্যাজ"]
    with translation.override("en"):
        assert missing_badge_names(item) == [badge.name]
