from decimal import Decimal

import pytest

from careerpaths.models import CareerLevel, CareerPath


@pytest.fixture
def career_path(db, entry_badge, box_badge):
    """Trainee (open) → Annotator (entry badge) → Senior (both badges, streak 2, 90% accuracy, approval)
    → Team lead (approval)."""
    path = CareerPath.objects.create(name="Annotation", slug="annotation")

    def level(order, slug, badges=(), **fields):
        made = CareerLevel.objects.create(path=path, sort_order=order, slug=slug, name=slug.title(), **fields)
        made.required_badges.set(badges)
        made.save()
        return made

    return {
        "trainee": level(0, "trainee"),
        "annotator": level(1, "annotator", [entry_badge]),
        "senior": level(
            2,
            "senior",
            [entry_badge, box_badge],
            min_streak_weeks=2,
            min_accuracy=Decimal("0.900"),
            accuracy_window_days=28,
            needs_approval=True,
        ),
        "lead": level(3, "lead", needs_approval=True, team_lead=True),
    }
