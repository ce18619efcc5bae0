"""The demo's career path, and who in the demo team learns steadily enough to be ready for promotion."""

from decimal import Decimal

PATH = {"slug": "annotation", "name": "Annotation career", "description": "From trainee to team lead."}
LEVELS = [
    {"slug": "trainee", "name": "Trainee", "description": "New to the work: learning the basics."},
    {
        "slug": "annotator",
        "name": "Annotator",
        "description": "Tags images on live projects.",
        "badges": ["image-tagging"],
    },
    {
        "slug": "senior-annotator",
        "name": "Senior annotator",
        "description": "Draws boxes and handles the harder images.",
        "badges": ["image-tagging", "bounding-boxes"],
        "streak": 3,
        "accuracy": Decimal("0.920"),
        "approval": True,
    },
    {
        "slug": "quality-reviewer",
        "name": "Quality reviewer",
        "description": "Reviews other annotators' work.",
        "badges": ["bounding-boxes", "quality-review"],
        "streak": 4,
        "accuracy": Decimal("0.950"),
        "approval": True,
    },
    {
        "slug": "team-lead",
        "name": "Team lead",
        "description": "Leads a team: sees its weekly learning and approves promotions.",
        "badges": ["bounding-boxes", "quality-review"],
        "streak": 6,
        "accuracy": Decimal("0.950"),
        "approval": True,
        "team_lead": True,
    },
]
# Task types gated by a level as well as badges.
TASK_TYPE_LEVELS = {"quality-review": "quality-reviewer"}

# Steady learners who also hold the bounding-box badge: ready for Senior annotator.
READY = ("ravi", "deepa", "priya")
# How often each demo worker meets the weekly goal (others: a random habit).
HABITS = {"worker": 0.9, "ravi": 1.0, "deepa": 1.0, "priya": 1.0, "amina": 0.3}
