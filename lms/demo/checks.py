"""The demo's skill checks: one badge and one check per course, with practical questions like the work."""

from decimal import Decimal


def choice(text: str, correct: bool = False, feedback: str = "") -> tuple:
    return ("choice", {"text": text, "correct": correct, "feedback": feedback})


# Gold boxes as fractions of the demo pictures (480 × 320), measured from how images.py draws them.
CAR_BOX = [round(148 / 480, 4), round(110 / 320, 4), round(184 / 480, 4), round(137 / 320, 4)]
TREE_BOX = [round(372 / 480, 4), round(70 / 320, 4), round(68 / 480, 4), round(145 / 320, 4)]

CHECKS = [
    {
        "course": "image-tagging-basics",
        "badge": {
            "slug": "image-tagging",
            "name": "Image tagging",
            "skill": "Image tagging",
            "level": "entry",
            "validity_months": 12,
            "description": "Tags images with the right words from a label list, completely and without guessing.",
            "criteria": "Pass the Image tagging skill check (80% or more): choose every right label and no wrong one.",
            "colour": (11, 92, 173),
        },
        "check": {
            "slug": "image-tagging-check",
            "title": "Image tagging check",
            "per_attempt": 4,
            "pass_mark": 75,
        },
        "questions": [
            {
                "kind": "image_tagging",
                "title": "Fruit bowl",
                "prompt": "Choose every label that fits the picture.",
                "image": "fruit",
                "labels": "apple\nbanana\norange\nlemon\nbrick",
                "gold_labels": "apple\nbanana\norange",
            },
            {
                "kind": "single",
                "title": "Not on the list",
                "prompt": "You see a bicycle, but “bicycle” is not on the label list. What do you do?",
                "choices": [
                    choice("Do not tag it", True, "Right: only use words from the list."),
                    choice("Tag it “bicycle”", False, "Only words from the list may be used."),
                    choice(
                        "Tag it with the closest word",
                        False,
                        "A wrong tag teaches the computer the wrong thing.",
                    ),
                ],
                "explanation": "Only use words from the label list.",
            },
            {
                "kind": "true_false",
                "title": "Small objects",
                "prompt": "A small orange in the corner of the picture needs a tag if “orange” is on the list.",
                "true_false_answer": True,
                "explanation": "Small things count.",
            },
            {
                "kind": "short_text",
                "title": "Dark image",
                "prompt": "Which tag do you use for an image too dark to see?",
                # The tag's word in each language the check is read in: accepted in all of them alike.
                "accepted_answers": "unclear\npeu clair\nঅস্পষ্ট",
                "explanation": "Use “unclear” when you cannot see what it is.",
            },
        ],
    },
    {
        "course": "bounding-boxes",
        "badge": {
            "slug": "bounding-boxes",
            "name": "Bounding boxes",
            "skill": "Bounding boxes",
            "level": "skilled",
            "validity_months": 12,
            "description": "Draws tight boxes around objects: touching all four edges, nothing cut off.",
            "criteria": "Pass the practical Bounding boxes check: each box must overlap the right box by at least 60%.",
            "colour": (27, 110, 45),
        },
        "check": {
            "slug": "bounding-boxes-check",
            "title": "Bounding boxes practical check",
            "per_attempt": 2,
            "pass_mark": 100,
            "tag": "practical",
        },
        "questions": [
            {
                "kind": "bounding_box",
                "title": "The car",
                "prompt": "Draw a tight box around the car.",
                "image": "street",
                "gold_box": CAR_BOX,
                "min_iou": 0.6,
                "tags": "practical",
                "explanation": "The box touches the roof, the wheels and both bumpers.",
            },
            {
                "kind": "bounding_box",
                "title": "The tree",
                "prompt": "Draw a tight box around the tree (leaves and trunk).",
                "image": "street",
                "gold_box": TREE_BOX,
                "min_iou": 0.6,
                "tags": "practical",
                "explanation": "From the top of the leaves to the bottom of the trunk.",
            },
            {
                "kind": "single",
                "title": "Hidden part",
                "prompt": "A tree hides half of a car. Where does the box go?",
                "choices": [
                    choice("Around the part of the car you can see", True),
                    choice("Around where the whole car would be"),
                    choice("Around the car and the tree"),
                ],
                "tags": "theory",
            },
        ],
    },
    {
        "course": "audio-transcription",
        "badge": {
            "slug": "transcription",
            "name": "Transcription",
            "skill": "Transcription",
            "level": "skilled",
            "validity_months": 12,
            "description": "Writes down exactly what was said, with the house tags for noise and unclear speech.",
            "criteria": "Pass the Transcription check: transcripts with at most 10% character errors.",
            "colour": (122, 75, 0),
        },
        "check": {
            "slug": "transcription-check",
            "title": "Transcription check",
            "per_attempt": 3,
            "pass_mark": 66,
        },
        "questions": [
            {
                "kind": "transcription",
                "title": "Market directions",
                "prompt": "Type exactly what the speaker says (the words are shown under the sound wave).",
                "image": "spoken_line",
                "accepted_answers": "Turn left at the market.",
                "max_cer": 0.1,
            },
            {
                "kind": "short_text",
                "title": "Unclear tag",
                "prompt": "What do you write for a word you cannot understand after three tries?",
                "accepted_answers": "[unclear]\nunclear",
            },
            {
                "kind": "numeric",
                "title": "Listening tries",
                "prompt": "How many times should you listen before you write [unclear]?",
                "numeric_answer": Decimal(3),
            },
        ],
    },
    {
        "course": "quality-review",
        "badge": {
            "slug": "quality-review",
            "name": "Quality review",
            "skill": "Quality review",
            "level": "expert",
            "validity_months": 6,
            "description": "Checks other people's work fairly and gives feedback that helps them improve.",
            "criteria": "Pass the Quality review check with 80% or more.",
            "colour": (90, 40, 140),
        },
        "check": {
            "slug": "quality-review-check",
            "title": "Quality review check",
            "per_attempt": 3,
            "pass_mark": 80,
            "max_attempts": 3,
            "cooldown": 60,
        },
        "questions": [
            {
                "kind": "multiple",
                "title": "What to check",
                "prompt": "Which three things does a reviewer check on every item?",
                "choices": [
                    choice("Is it correct?", True),
                    choice("Is it complete?", True),
                    choice("Does it follow the guide?", True),
                    choice("Was it done fast?"),
                ],
            },
            {
                "kind": "single",
                "title": "Useful feedback",
                "prompt": "Which feedback is most useful?",
                "choices": [
                    choice("“Bad work.”"),
                    choice("“The box on the left car is loose; see Tight boxes.”", True),
                    choice("“Try harder next time.”"),
                ],
            },
            {
                "kind": "true_false",
                "title": "Consistency",
                "prompt": "Two workers make the same mistake. You may decide differently for each.",
                "true_false_answer": False,
            },
        ],
    },
]
