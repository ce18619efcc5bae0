"""The demo's work: task types unlocked by the demo badges, and the refresher that lifts a suspension."""

from decimal import Decimal

TASK_TYPES = [
    {
        "code": "image-tagging",
        "name": "Image tagging",
        "description": "Choose every label that fits a picture from the project's label list.",
        "pay_rate": Decimal("0.0200"),
        "tier": 1,
        "badges": ["image-tagging"],
        "accuracy_threshold": Decimal("0.900"),
        "refresher": "image-tagging-refresher",
    },
    {
        "code": "bounding-boxes",
        "name": "Bounding boxes",
        "description": "Draw a tight box around every object of the asked kind.",
        "pay_rate": Decimal("0.0280"),
        "tier": 2,
        "badges": ["image-tagging", "bounding-boxes"],
        "accuracy_threshold": Decimal("0.850"),
        "refresher": None,
    },
    {
        "code": "transcription",
        "name": "Audio transcription",
        "description": "Type exactly what is said in short recordings, tagging what cannot be heard.",
        "pay_rate": Decimal("0.0350"),
        "tier": 2,
        "badges": ["transcription"],
        "accuracy_threshold": Decimal("0.880"),
        "refresher": None,
    },
    {
        "code": "quality-review",
        "name": "Quality review",
        "description": "Check other annotators' work against the guidelines and write useful feedback.",
        "pay_rate": Decimal("0.0450"),
        "tier": 3,
        "badges": ["bounding-boxes", "quality-review"],
        "accuracy_threshold": None,
        "refresher": None,
    },
]

REFRESHER = {
    "slug": "image-tagging-refresher",
    "title": "Image tagging refresher",
    "intro": (
        "A short refresher on choosing every right label and no wrong one. Pass it to get tagging work back."
    ),
    "bank": "Image tagging questions",
    "per_attempt": 3,
    "pass_mark": 80,
}

# Who the demo suspends: their recent tagging accuracy falls below the threshold.
SUSPENDED = ("amina", "image-tagging")
