"""The demo's teaching content: short lessons on the data work Ladder's workers do."""

TIP, WARN = "tip", "warning"

COURSES = [
    {
        "slug": "image-tagging-basics",
        "title": "Image tagging basics",
        "summary": "Learn to give every image the right tags from the label list, quickly and the same way every time.",
        "skill": "Image tagging",
        "level": "beginner",
        "minutes": 25,
        "colour": (11, 92, 173),
        "lessons": [
            {
                "slug": "what-is-a-tag",
                "title": "What is a tag?",
                "summary": "A tag says what is in the picture, using a word from the label list.",
                "body": [
                    ("heading", "A tag is a word about the picture"),
                    (
                        "text",
                        "<p>When you tag an image you choose words from the <b>label list</b> that say what the image shows. The customer uses your tags to teach a computer to see. If the tag is wrong, the computer learns the wrong thing.</p>",
                    ),
                    (
                        "text",
                        "<p>You only use words from the label list. If you see something that is not on the list, you do not tag it.</p>",
                    ),
                    (
                        "callout",
                        (
                            TIP,
                            "<p>Read the whole label list once before your first image. It is faster later.</p>",
                        ),
                    ),
                ],
            },
            {
                "slug": "tag-everything-you-see",
                "title": "Tag everything you see",
                "summary": "Every object on the label list that is in the image gets a tag.",
                "body": [
                    ("heading", "Look at the whole image"),
                    (
                        "text",
                        "<p>Look at the corners and the background too. Small things count: if an orange is on the list and you can see one, tag it, even when it is small.</p>",
                    ),
                    (
                        "example",
                        (
                            "tags_right",
                            "All three fruits on the list have a tag.",
                            "tags_wrong",
                            "The banana and the orange are missing, and “lemon” is wrong.",
                        ),
                    ),
                    ("callout", (WARN, "<p>Do not guess. A wrong tag is worse than a missing one.</p>")),
                ],
            },
            {
                "slug": "when-you-are-not-sure",
                "title": "When you are not sure",
                "summary": "What to do with dark, blurry or strange images.",
                "body": [
                    ("heading", "Unclear images"),
                    (
                        "text",
                        "<p>If the image is too dark or blurry to see what it is, use the tag <b>unclear</b> if the list has it, or skip the image. Never tag from what you think should be there.</p>",
                    ),
                    (
                        "callout",
                        (
                            TIP,
                            "<p>Ask a question from this page when the rules do not fit an image. Your question helps everyone.</p>",
                        ),
                    ),
                ],
            },
        ],
        "faqs": [
            (
                "Can I use a word that is not on the label list?",
                "<p>No. Only use words from the label list. If something important is missing from the list, ask your team lead.</p>",
                "what-is-a-tag",
                ["tags", "label list"],
            ),
            (
                "Do small objects need a tag?",
                "<p>Yes. If you can see it and it is on the label list, tag it, however small.</p>",
                "tag-everything-you-see",
                ["tags", "small objects"],
            ),
            (
                "What if the image is blurry?",
                "<p>Use the tag <b>unclear</b> if the list has it; otherwise skip the image. Do not guess.</p>",
                "when-you-are-not-sure",
                ["blurry", "unclear"],
            ),
        ],
    },
    {
        "slug": "bounding-boxes",
        "title": "Bounding boxes",
        "summary": "Draw tight boxes around objects so a computer learns exactly where things are.",
        "skill": "Bounding boxes",
        "level": "intermediate",
        "minutes": 30,
        "colour": (27, 110, 45),
        "lessons": [
            {
                "slug": "what-is-a-bounding-box",
                "title": "What is a bounding box?",
                "summary": "A rectangle that shows where an object is.",
                "body": [
                    ("heading", "A box around one object"),
                    (
                        "text",
                        "<p>A bounding box is a rectangle you draw around one object. Each box gets one label. Two cars get two boxes.</p>",
                    ),
                    (
                        "text",
                        "<p>On a phone, touch one corner and drag to the opposite corner. On a computer, click and drag with the mouse.</p>",
                    ),
                ],
            },
            {
                "slug": "tight-boxes",
                "title": "Tight boxes",
                "summary": "The box touches the object's edges: no gaps, nothing cut off.",
                "body": [
                    ("heading", "Touch all four edges"),
                    (
                        "text",
                        "<p>A good box touches the top, bottom, left and right of the object. Leave no empty space, and do not cut off wheels, mirrors or feet.</p>",
                    ),
                    (
                        "example",
                        (
                            "box_right",
                            "The box touches the car on all four sides.",
                            "box_wrong",
                            "Too much sky and road inside the box.",
                        ),
                    ),
                    (
                        "callout",
                        (
                            TIP,
                            "<p>Zoom in before you fix the corners. A few pixels matter: your box is checked by how much it overlaps the right box.</p>",
                        ),
                    ),
                ],
            },
            {
                "slug": "hidden-and-cut-off-objects",
                "title": "Hidden and cut-off objects",
                "summary": "What to do when something covers the object or it leaves the picture.",
                "body": [
                    ("heading", "Box only what you can see"),
                    (
                        "text",
                        "<p>If a tree covers half of a car, draw the box around the part of the car you can see. If the car goes out of the picture, the box stops at the edge of the picture.</p>",
                    ),
                    (
                        "callout",
                        (
                            WARN,
                            "<p>Do not draw where you think the hidden part is. Box only what is visible.</p>",
                        ),
                    ),
                ],
            },
            {
                "slug": "many-objects",
                "title": "Many objects in one image",
                "summary": "One box for each object, even when they touch.",
                "body": [
                    ("heading", "One object, one box"),
                    (
                        "text",
                        "<p>When people stand in a group, every person gets their own box. Boxes may overlap. Never put one big box around a group.</p>",
                    ),
                ],
            },
        ],
        "faqs": [
            (
                "How tight should my box be?",
                "<p>The box touches the object on all four sides, with no empty space and nothing cut off.</p>",
                "tight-boxes",
                ["boxes", "tight"],
            ),
            (
                "Do I box the hidden part of an object?",
                "<p>No. Box only what you can see.</p>",
                "hidden-and-cut-off-objects",
                ["boxes", "hidden"],
            ),
            (
                "Can boxes overlap?",
                "<p>Yes. Objects that touch or stand in front of each other get overlapping boxes.</p>",
                "many-objects",
                ["boxes", "overlap"],
            ),
        ],
    },
    {
        "slug": "audio-transcription",
        "title": "Audio transcription",
        "summary": "Write down exactly what people say in short recordings, with the house tags for noise and unclear speech.",
        "skill": "Transcription",
        "level": "intermediate",
        "minutes": 25,
        "colour": (122, 75, 0),
        "lessons": [
            {
                "slug": "listen-first",
                "title": "Listen first, then type",
                "summary": "Hear the whole clip once before you write.",
                "body": [
                    ("heading", "Listen to the whole clip"),
                    (
                        "text",
                        "<p>Play the full recording once without typing. Then play it again and type. Use headphones if you can.</p>",
                    ),
                ],
            },
            {
                "slug": "write-what-you-hear",
                "title": "Write what you hear",
                "summary": "Exact words, normal spelling, no corrections.",
                "body": [
                    ("heading", "Exactly the words that were said"),
                    (
                        "text",
                        "<p>Write every word the speaker says, in normal spelling. Do not fix their grammar and do not add words. Start the sentence with a capital letter and end it with a full stop.</p>",
                    ),
                    (
                        "example",
                        (
                            "transcript_right",
                            "Exact words, normal spelling and punctuation.",
                            "transcript_wrong",
                            "No capital letter, a guessed question mark, and a noise tag where there was no noise.",
                        ),
                    ),
                ],
            },
            {
                "slug": "noise-and-unclear-speech",
                "title": "Tags for noise and unclear speech",
                "summary": "Use [noise] and [unclear] instead of guessing.",
                "body": [
                    ("heading", "The two tags"),
                    (
                        "text",
                        "<p>Write <b>[noise]</b> where a loud sound covers speech. Write <b>[unclear]</b> for a word you cannot understand after listening three times.</p>",
                    ),
                    (
                        "callout",
                        (
                            WARN,
                            "<p>Never guess a word. [unclear] is the right answer when you cannot hear it.</p>",
                        ),
                    ),
                ],
            },
        ],
        "faqs": [
            (
                "Should I correct the speaker's grammar?",
                "<p>No. Write exactly what was said.</p>",
                "write-what-you-hear",
                ["transcription", "grammar"],
            ),
            (
                "How many times may I listen?",
                "<p>As many as you need. If you still cannot understand a word after three tries, write [unclear].</p>",
                "noise-and-unclear-speech",
                ["transcription", "unclear"],
            ),
        ],
    },
    {
        "slug": "quality-review",
        "title": "Quality review",
        "summary": "Check other people's work fairly and give feedback that helps them improve.",
        "skill": "Quality review",
        "level": "advanced",
        "minutes": 35,
        "colour": (90, 40, 140),
        "lessons": [
            {
                "slug": "what-reviewers-check",
                "title": "What reviewers check",
                "summary": "Correct, complete, and following the guide.",
                "body": [
                    ("heading", "Three questions for every item"),
                    (
                        "text",
                        "<ol><li>Is it <b>correct</b>? (right labels, right place)</li><li>Is it <b>complete</b>? (nothing missing)</li><li>Does it follow the <b>guide</b> for this project?</li></ol>",
                    ),
                ],
            },
            {
                "slug": "useful-feedback",
                "title": "Giving useful feedback",
                "summary": "Say what is wrong, where, and what the rule is.",
                "body": [
                    ("heading", "Feedback people can use"),
                    (
                        "text",
                        "<p>Good feedback names the problem, shows where it is and points to the rule: “The box on the left car is loose; see <i>Tight boxes</i>.” Be kind and specific.</p>",
                    ),
                    ("callout", (TIP, "<p>Praise good work too. People learn from what they did right.</p>")),
                ],
            },
            {
                "slug": "consistency",
                "title": "Consistency across a batch",
                "summary": "The same mistake gets the same decision every time.",
                "body": [
                    ("heading", "Be the same every time"),
                    (
                        "text",
                        "<p>Decide the same way for the same problem, for every worker. If you are unsure about a rule, ask before you review more items.</p>",
                    ),
                ],
            },
        ],
        "faqs": [
            (
                "Should I fix a mistake myself or send it back?",
                "<p>Follow your project's guide. In most projects you send it back with feedback so the worker learns.</p>",
                "what-reviewers-check",
                ["review"],
            ),
            (
                "How long should feedback be?",
                "<p>One or two short sentences: the problem, where it is, and the rule.</p>",
                "useful-feedback",
                ["review", "feedback"],
            ),
        ],
    },
]

QUESTIONS = [
    # (username, course slug, lesson slug, question, answer or None)
    (
        "worker",
        "image-tagging-basics",
        "tag-everything-you-see",
        "If only half of an orange is in the picture, do I still tag it?",
        "Yes. If you can see it and it is on the label list, tag it, even if only part of it is in the picture.",
    ),
    (
        "worker",
        "image-tagging-basics",
        "when-you-are-not-sure",
        "What do I do when the image is black and white?",
        None,
    ),
    (
        "amina",
        "bounding-boxes",
        "tight-boxes",
        "Does the shadow of the car go inside the box?",
        "No. The shadow is not part of the car, so keep it outside the box.",
    ),
    ("ravi", "audio-transcription", "write-what-you-hear", "Do I write numbers as words or digits?", None),
]
