import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Collection, Locale, Page, Site
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from assessments import services as assessment_services
from assessments.models import Assessment, Attempt, BankQuestion, QuestionBank, SkillBadge
from assessments.selectors import BADGE_IMAGE
from assignment import services as assignment_services
from assignment.models import TaskType, WorkResult
from assignment.services.work_results import WorkResultIn
from careerpaths import services as career_services
from careerpaths.models import CareerLevel, CareerPath
from courses import services as course_services
from courses.models import FAQ, CourseIndexPage, CoursePage, LessonPage, Question
from lms import roles
from lms.demo import images
from lms.demo import impact as demo_impact
from lms.demo import translations as demo_translations
from lms.demo.answers import demo_answers
from lms.demo.careers import HABITS, LEVELS, PATH, READY, TASK_TYPE_LEVELS
from lms.demo.checks import CHECKS
from lms.demo.content import COURSES, QUESTIONS
from lms.demo.work import REFRESHER, SUSPENDED, TASK_TYPES
from lms.models import LearningEvent, Team, WorkerProfile
from lms.records.rollup import weekly_rollup
from lms.selectors import week_of, weekly_goal_minutes
from lms.services import item_translation_save, user_create, worker_create

STAFF = [
    ("admin", roles.ADMINS, "Ada", "Admin"),
    ("assistant", roles.ASSISTANTS, "Lina", "Assistant"),
    ("expert", roles.EXPERTS, "Esther", "Expert"),
    ("manager", roles.MANAGERS, "Mamy", "Manager"),
]
WORKER_NAMES = [
    ("worker", "Voahangy", "Rasoa", "Indian/Antananarivo"),
    ("amina", "Amina", "Said", "Indian/Antananarivo"),
    ("ravi", "Ravi", "Kumar", "Asia/Kolkata"),
    ("fara", "Fara", "Rakoto", "Indian/Antananarivo"),
    ("priya", "Priya", "Nair", "Asia/Kolkata"),
    ("noro", "Noro", "Andria", "Indian/Antananarivo"),
    ("deepa", "Deepa", "Iyer", "Asia/Kolkata"),
    ("hery", "Hery", "Razafy", "Indian/Antananarivo"),
    ("sita", "Sita", "Devi", "Asia/Kolkata"),
    ("mialy", "Mialy", "Rabe", "Indian/Antananarivo"),
    ("anjali", "Anjali", "Rao", "Asia/Kolkata"),
    ("lalao", "Lalao", "Ranaivo", "Indian/Antananarivo"),
    ("meena", "Meena", "Pillai", "Asia/Kolkata"),
    ("tiana", "Tiana", "Rakotobe", "Indian/Antananarivo"),
    ("kavya", "Kavya", "Menon", "Asia/Kolkata"),
    ("zo", "Zo", "Randria", "Indian/Antananarivo"),
    ("lakshmi", "Lakshmi", "Reddy", "Asia/Kolkata"),
    ("haja", "Haja", "Rasolo", "Indian/Antananarivo"),
    ("pooja", "Pooja", "Shah", "Asia/Kolkata"),
    ("nirina", "Nirina", "Rabemananjara", "Indian/Antananarivo"),
]
EMAIL_DOMAIN = "ladder.example"
# Who reads Ladder in which language: `worker` in French, a Kolkata worker in Bengali, and one each in
# Malagasy and Hindi (the course is not translated into those: they read it in English, marked).
WORKER_LANGUAGES = {"worker": "fr", "sita": "bn", "mialy": "mg", "meena": "hi"}


class Command(BaseCommand):
    help = "Create (or complete) the demo: courses, lessons, FAQs, people and a few weeks of learning."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=20, help="How many demo workers (at least 1).")
        parser.add_argument("--password", default="ladder-demo", help="Password of every demo login.")
        parser.add_argument(
            "--cohort",
            type=int,
            default=100,
            help="Workers without a login who fill the impact report (0: none).",
        )

    def handle(self, *args, workers: int, password: str, cohort: int = 100, **options) -> None:
        self.password = password
        self.rng = random.Random(7)
        with transaction.atomic():
            catalogue = self._catalogue()
            course_services.catalogue_setup(catalogue=catalogue)
            lessons = self._courses(catalogue)
            checks = self._checks()
            staff = self._staff()
            team = self._team(staff["manager"])
            self._career_path()
            demo_workers = self._workers(team, max(1, workers))
            self._task_types(demo_workers)
            self._translations(catalogue, staff["expert"])
        facts_rng = random.Random(11)
        for worker in demo_workers:
            self._history(worker, lessons)
            self._check_history(worker, checks)
            self._learning_weeks(worker)
            demo_impact.facts_for(worker, facts_rng)
        others = demo_impact.cohort_workers(max(0, min(cohort, 1000)))
        demo_impact.cohort_checks(others, checks, facts_rng)
        for worker in others:
            self._learning_weeks(worker)
            demo_impact.facts_for(worker, facts_rng)
        demo_impact.unlock_times_from_awards(demo_workers + others)
        demo_impact.cohort_earlier_work(others, facts_rng)
        self._work(demo_workers + others)
        weekly_rollup()
        for worker in demo_workers:
            career_services.readiness_recompute(worker=worker)
        self._questions(lessons, staff["assistant"])
        self.stdout.write(self.style.SUCCESS("Demo ready."))
        self.stdout.write(f"Logins (password {password!r}): admin, assistant, expert, manager, worker")
        self.stdout.write(f"{SUSPENDED[0]} is suspended from {SUSPENDED[1]} and has a refresher to pass.")

    def _catalogue(self) -> CourseIndexPage:
        # Wagtail's migrations make these; a database emptied since (by a flush) lacks them.
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        Collection.get_first_root_node() or Collection.add_root(name="Root")
        catalogue = CourseIndexPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
        if catalogue is None:
            root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
            catalogue = CourseIndexPage(
                title="Courses",
                slug="courses",
                intro="<p>Short lessons for your work. Learn between tasks.</p>",
            )
            root.add_child(instance=catalogue)
            catalogue.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", root_page=catalogue, is_default_site=True, site_name="Ladder"
            )
        elif site.root_page_id != catalogue.pk:
            old_root = site.root_page
            site.root_page = catalogue
            site.site_name = "Ladder"
            site.save()
            if (
                old_root.depth == 2
                and old_root.specific_class is Page
                and not old_root.get_children().exists()
            ):
                old_root.delete()
        return catalogue

    def _translations(self, catalogue: CourseIndexPage, expert) -> None:
        """ "Image tagging basics" in French and Bengali, approved: the catalogue, the course, its
        lessons and FAQs through wagtail-localize (as an assistant's translation, published by the
        expert), its check, questions and badge, and the task types and career levels, by segment."""
        course = CoursePage.objects.get(
            slug="image-tagging-basics", locale__language_code=settings.LANGUAGE_CODE
        )
        lessons = list(LessonPage.objects.child_of(course).order_by("path"))
        faqs = list(FAQ.objects.filter(lessons__in=lessons, locale=course.locale).distinct().order_by("pk"))
        check = Assessment.objects.get(slug="image-tagging-check")
        items = [
            check,
            check.bank,
            *check.bank.questions.all(),
            check.badge,
            *TaskType.objects.all(),
            *CareerPath.objects.all(),
            *CareerLevel.objects.all(),
        ]
        for language, table in demo_translations.CONTENT.items():
            locale = Locale.objects.get_or_create(language_code=language)[0]
            for instance in [catalogue, course, *lessons, *faqs]:
                if (
                    type(instance)
                    .objects.filter(translation_key=instance.translation_key, locale=locale, live=True)
                    .exists()
                ):
                    continue
                source, _created = TranslationSource.get_or_create_from_instance(instance)
                for segment in source.stringsegment_set.select_related("string", "context"):
                    text = segment.string.data
                    if segment.context.path != "slug":
                        text = table[text]  # a missing demo translation is a bug: fail loudly
                    StringTranslation.objects.update_or_create(
                        translation_of=segment.string,
                        locale=locale,
                        context=segment.context,
                        defaults={
                            "data": text,
                            "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                        },
                    )
                translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
                # As the expert approving it (wagtail-localize's own publishing waits for the commit).
                translation.save_target(user=expert, publish=False)
                target = translation.get_target_instance()
                # A fresh user: permissions on a translated catalogue made just now are not in its cache.
                target.get_latest_revision().publish(user=get_user_model().objects.get(pk=expert.pk))
            for item in items:
                item = type(item).objects.get(pk=item.pk)
                texts = {
                    segment.key: table[segment.source]
                    for segment in item.segments()
                    if segment.source in table
                }
                if texts and item.translation_progress(language).translated < len(texts):
                    item_translation_save(item=item, language=language, texts=texts, by=expert)

    def _image(self, title: str, maker) -> Image:
        existing = Image.objects.filter(title=title).first()
        if existing:
            return existing
        from io import BytesIO

        data = BytesIO(images.png_bytes(maker()))
        return Image.objects.create(
            title=title, file=ImageFile(data, name=f"{title.lower().replace(' ', '-')}.png")
        )

    def _body(self, blocks: list) -> list:
        body = []
        for kind, value in blocks:
            if kind == "callout":
                value = {"kind": value[0], "text": value[1]}
            elif kind == "example":
                right, right_caption, wrong, wrong_caption = value
                value = {
                    "right_image": self._image(right.replace("_", " "), getattr(images, right)),
                    "right_caption": right_caption,
                    "wrong_image": self._image(wrong.replace("_", " "), getattr(images, wrong)),
                    "wrong_caption": wrong_caption,
                }
            body.append((kind, value))
        return body

    def _courses(self, catalogue: CourseIndexPage) -> dict[tuple[str, str], LessonPage]:
        lessons = {}
        for spec in COURSES:
            course = CoursePage.objects.child_of(catalogue).filter(slug=spec["slug"]).first()
            if course is None:
                cover = self._image(
                    f"Cover {spec['title']}", lambda s=spec: images.cover(s["title"], s["colour"])
                )
                course = CoursePage(
                    title=spec["title"],
                    slug=spec["slug"],
                    summary=spec["summary"],
                    skill=spec["skill"],
                    level=spec["level"],
                    estimated_minutes=spec["minutes"],
                    cover_image=cover,
                )
                catalogue.add_child(instance=course)
                course.save_revision().publish()
            for lesson_spec in spec["lessons"]:
                lesson = LessonPage.objects.child_of(course).filter(slug=lesson_spec["slug"]).first()
                if lesson is None:
                    lesson = LessonPage(
                        title=lesson_spec["title"],
                        slug=lesson_spec["slug"],
                        summary=lesson_spec["summary"],
                        estimated_minutes=lesson_spec.get("minutes", 6),
                        body=self._body(lesson_spec["body"]),
                    )
                    course.add_child(instance=lesson)
                    lesson.save_revision().publish()
                lessons[(spec["slug"], lesson_spec["slug"])] = lesson
            for question, answer, lesson_slug, tags in spec["faqs"]:
                if FAQ.objects.filter(question=question).exists():
                    continue
                faq = FAQ(question=question, answer=answer)
                faq.save()
                faq.tags.set(tags)
                faq.lessons.set([lessons[(spec["slug"], lesson_slug)]])
                faq.courses.set([course])
                faq.save()
                faq.save_revision().publish()
        return lessons

    def _checks(self) -> dict[str, Assessment]:
        """One badge, question bank and skill check per demo course."""
        assessment_services.content_review_setup()
        checks = {}
        for spec in CHECKS:
            badge_spec = dict(spec["badge"])
            colour = badge_spec.pop("colour")
            badge = SkillBadge.objects.filter(slug=badge_spec["slug"]).first()
            if badge is None:
                image = self._image(
                    f"Badge {badge_spec['name']}", lambda s=badge_spec, c=colour: images.badge(s["name"], c)
                )
                badge = SkillBadge.objects.create(image=image, **badge_spec)
                image.get_rendition(BADGE_IMAGE)  # the public badge documents only read it
            bank, _ = QuestionBank.objects.get_or_create(title=f"{badge.name} questions")
            if not bank.questions.exists():
                for question_spec in spec["questions"]:
                    self._bank_question(bank, question_spec)
            checks[spec["course"]] = self._assessment(spec, bank, badge)
        return checks

    def _bank_question(self, bank: QuestionBank, spec: dict) -> BankQuestion:
        fields = dict(spec)
        maker = fields.pop("image", None)
        if maker:
            fields["image"] = self._image(maker.replace("_", " "), getattr(images, maker))
        question = BankQuestion(bank=bank, **fields)
        question.save()
        question.save_revision().publish()
        return question

    def _assessment(self, spec: dict, bank: QuestionBank, badge: SkillBadge) -> Assessment:
        check = spec["check"]
        assessment = Assessment.objects.filter(slug=check["slug"]).first()
        if assessment is None:
            assessment = Assessment(
                title=check["title"],
                slug=check["slug"],
                intro=f"Show what you learned in {badge.skill.lower()} and earn the {badge.name} badge.",
                course=CoursePage.objects.get(
                    slug=spec["course"], locale__language_code=settings.LANGUAGE_CODE
                ),
                bank=bank,
                questions_per_attempt=check["per_attempt"],
                draw_tag=check.get("tag", ""),
                pass_mark=check["pass_mark"],
                max_attempts=check.get("max_attempts"),
                cooldown_minutes=check.get("cooldown", 0),
                time_limit_minutes=15,
                badge=badge,
            )
            assessment.save()
            assessment.save_revision().publish()
        return assessment

    def _check_history(self, worker: WorkerProfile, checks: dict[str, Assessment]) -> None:
        """Passes and fails through the real services: `worker` holds only the entry badge."""
        if Attempt.objects.filter(worker=worker).exists():
            return
        if worker.external_id == "worker":
            plan = [("image-tagging-basics", True)]
        else:
            chances = {"image-tagging-basics": 0.85, "bounding-boxes": 0.45, "audio-transcription": 0.35}
            if worker.external_id == SUSPENDED[0]:
                chances["image-tagging-basics"] = 1
            if worker.external_id in READY:
                chances.update({"image-tagging-basics": 1, "bounding-boxes": 1})
            plan = [(course, self.rng.random() < chance) for course, chance in chances.items()]
        when = timezone.now() - timedelta(days=self.rng.randint(8, 20))
        for course, knows in plan:
            assessment = checks[course]
            attempt = assessment_services.attempt_start(worker=worker, assessment=assessment, now=when)
            answers = demo_answers(attempt, knows=knows, rng=self.rng)
            assessment_services.attempt_submit(
                worker=worker, attempt_id=attempt.pk, responses=answers, now=when
            )
            when += timedelta(days=self.rng.randint(1, 3))

    def _task_types(self, workers: list[WorkerProfile]) -> None:
        """The work the badges unlock, better paid as it gets harder, and the refresher for tagging."""
        refresher = Assessment.objects.filter(slug=REFRESHER["slug"]).first()
        if refresher is None:
            refresher = Assessment(
                title=REFRESHER["title"],
                slug=REFRESHER["slug"],
                intro=REFRESHER["intro"],
                bank=QuestionBank.objects.get(title=REFRESHER["bank"]),
                questions_per_attempt=REFRESHER["per_attempt"],
                pass_mark=REFRESHER["pass_mark"],
                time_limit_minutes=10,
            )
            refresher.save()
            refresher.save_revision().publish()
        for spec in TASK_TYPES:
            if TaskType.objects.filter(code=spec["code"]).exists():
                continue
            task_type = TaskType.objects.create(
                code=spec["code"],
                name=spec["name"],
                description=spec["description"],
                pay_rate=spec["pay_rate"],
                currency="USD",
                tier=spec["tier"],
                accuracy_threshold=spec["accuracy_threshold"],
                refresher=refresher if spec["refresher"] == refresher.slug else None,
            )
            task_type.required_badges.set(SkillBadge.objects.filter(slug__in=spec["badges"]))
            if spec["code"] in TASK_TYPE_LEVELS:
                task_type.min_level = CareerLevel.objects.get(slug=TASK_TYPE_LEVELS[spec["code"]])
                task_type.save(update_fields=["min_level"])
        for worker in workers:
            assignment_services.eligibility_recompute(worker=worker, reason="demo task types")

    def _work(self, workers: list[WorkerProfile]) -> None:
        """Three weeks of daily work results through the bridge's own intake, so quality checks run.

        Workers do the work their badges opened; one of them slips on tagging and is suspended.
        """
        today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        recent = today - timedelta(days=22)  # the cohort's earlier weekly results are not these
        workers = [
            w for w in workers if not WorkResult.objects.filter(worker=w, period_start__gte=recent).exists()
        ]
        if not workers:
            return
        task_types = list(TaskType.objects.filter(active=True).prefetch_related("required_badges"))
        for days_ago in range(21, 0, -1):
            day = today - timedelta(days=days_ago)
            batch = []
            for worker in workers:
                start = timezone.localtime(day, worker.tz).replace(hour=9, minute=0) + timedelta(
                    minutes=self.rng.randint(0, 90)
                )
                held = {
                    award.badge.slug
                    for award in worker.badge_awards.filter(
                        awarded_at__lte=start, revoked_at__isnull=True
                    ).select_related("badge")
                }
                suspended = set(
                    worker.suspensions.filter(lifted_at__isnull=True).values_list(
                        "task_type__code", flat=True
                    )
                )
                for task_type in task_types:
                    needs = {badge.slug for badge in task_type.required_badges.all()}
                    if not needs <= held or task_type.code in suspended or self.rng.random() < 0.25:
                        continue
                    slipping = (worker.external_id, task_type.code) == SUSPENDED and days_ago <= 6
                    tasks = self.rng.randint(40, 140)
                    minutes = max(10, round(tasks * self.rng.uniform(0.35, 0.8)))
                    accuracy = self.rng.uniform(0.68, 0.8) if slipping else self.rng.uniform(0.91, 0.99)
                    batch.append(
                        WorkResultIn(
                            id=f"demo-{worker.external_id}-{task_type.code}-{day.date().isoformat()}",
                            worker=worker.external_id,
                            task_type=task_type.code,
                            period_start=start,
                            period_end=start + timedelta(minutes=minutes),
                            tasks_completed=tasks,
                            minutes_worked=minutes,
                            accuracy=Decimal(str(round(accuracy, 4))),
                        )
                    )
            if batch:
                assignment_services.work_results_ingest(results=batch, now=max(r.period_end for r in batch))

    def _career_path(self) -> None:
        path = CareerPath.objects.filter(slug=PATH["slug"]).first()
        if path is None:
            path = CareerPath.objects.create(**PATH)
            for order, spec in enumerate(LEVELS):
                level = CareerLevel.objects.create(
                    path=path,
                    sort_order=order,
                    slug=spec["slug"],
                    name=spec["name"],
                    description=spec["description"],
                    min_streak_weeks=spec.get("streak", 0),
                    min_accuracy=spec.get("accuracy"),
                    needs_approval=spec.get("approval", False),
                    team_lead=spec.get("team_lead", False),
                )
                level.required_badges.set(SkillBadge.objects.filter(slug__in=spec.get("badges", [])))
                level.save()

    def _learning_weeks(self, worker: WorkerProfile) -> None:
        """Twelve weeks of active learning time: steady learners meet the goal, others now and then."""
        since = timezone.now() - timedelta(weeks=12)
        if LearningEvent.objects.filter(
            worker=worker, kind=LearningEvent.Kind.LEARNING_TIME, occurred_at__lt=since + timedelta(days=7)
        ).exists():
            return
        habit = HABITS.get(worker.external_id, self.rng.uniform(0.2, 0.8))
        goal = weekly_goal_minutes(worker=worker)
        lesson_ids = list(LessonPage.objects.live().values_list("pk", flat=True))
        events = []
        for weeks_ago in range(12, 0, -1):
            minutes = (
                goal + self.rng.randint(0, 40)
                if self.rng.random() < habit
                else self.rng.randint(0, goal - 15)
            )
            # Spread over sessions on weekdays in the middle of the worker's week.
            monday = week_of(worker=worker, at=timezone.now() - timedelta(weeks=weeks_ago))
            sessions = max(1, minutes // 25)
            per_session = minutes * 2 // sessions  # heartbeats of 30 s
            for n in range(sessions):
                start = datetime.combine(monday + timedelta(days=n % 5), time(12, 30), tzinfo=worker.tz)
                lesson_id = self.rng.choice(lesson_ids)
                events.extend(
                    LearningEvent(
                        worker=worker,
                        kind=LearningEvent.Kind.LEARNING_TIME,
                        occurred_at=start + timedelta(seconds=31 * beat),
                        seconds=30,
                        subject_id=lesson_id,
                    )
                    for beat in range(per_session)
                )
        LearningEvent.objects.bulk_create(events, batch_size=2000)

    def _staff(self) -> dict:
        users = {}
        for username, role, first, last in STAFF:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username,
                    email=f"{username}@{EMAIL_DOMAIN}",
                    password=self.password,
                    role=role,
                    first_name=first,
                    last_name=last,
                    is_superuser=role == roles.ADMINS,
                )
            users[username] = user
        return users

    def _team(self, manager) -> Team:
        team, _ = Team.objects.get_or_create(
            name="Antananarivo and Kolkata annotators", defaults={"time_zone": "Indian/Antananarivo"}
        )
        team.managers.add(manager)
        return team

    def _workers(self, team: Team, count: int) -> list[WorkerProfile]:
        names = list(WORKER_NAMES)
        while len(names) < count:
            n = len(names) + 1
            names.append(
                (f"worker{n}", f"Worker {n}", "Demo", ["Indian/Antananarivo", "Asia/Kolkata"][n % 2])
            )
        workers = []
        for username, first, last, tz in names[:count]:
            profile = WorkerProfile.objects.filter(user__username=username).first()
            if profile is None:
                profile = worker_create(
                    username=username,
                    email=f"{username}@{EMAIL_DOMAIN}",
                    password=self.password,
                    external_id=username,
                    team=team,
                    time_zone=tz,
                    language=WORKER_LANGUAGES.get(username, "en"),
                    first_name=first,
                    last_name=last,
                )
            workers.append(profile)
        return workers

    def _history(self, worker: WorkerProfile, lessons: dict) -> None:
        """A few weeks of lessons opened, time spent and lessons finished, through the services."""
        if LearningEvent.objects.filter(worker=worker).exists():
            return
        ordered = list(lessons.values())
        if worker.external_id == "worker":
            plan = [(ordered[0], True), (ordered[1], True), (ordered[2], False)]
        else:
            start = self.rng.randrange(0, len(ordered) - 3)
            plan = [
                (lesson, self.rng.random() < 0.8)
                for lesson in ordered[start : start + self.rng.randint(2, 6)]
            ]
        now = timezone.now()
        at = now - timedelta(days=21, hours=self.rng.randint(0, 48))
        for lesson, finish in plan:
            course_services.lesson_open(worker=worker, lesson=lesson, at=at)
            for beat in range(1, self.rng.randint(6, 16)):
                course_services.lesson_heartbeat(
                    worker=worker, lesson=lesson, at=at + timedelta(seconds=31 * beat)
                )
            at += timedelta(minutes=9)
            if finish:
                course_services.lesson_complete(worker=worker, lesson=lesson, at=at)
            at += timedelta(days=self.rng.randint(1, 4), hours=self.rng.randint(0, 6))
            if at > now:
                break

    def _questions(self, lessons: dict, answerer) -> None:
        for username, course_slug, lesson_slug, text, answer in QUESTIONS:
            worker = WorkerProfile.objects.filter(user__username=username).first()
            if worker is None or Question.objects.filter(worker=worker, text=text).exists():
                continue
            lesson = lessons[(course_slug, lesson_slug)]
            question = course_services.question_ask(
                worker=worker, lesson=lesson, text=text, at=timezone.now() - timedelta(days=3)
            )
            if answer:
                course_services.question_answer(question=question, answer=answer, by=answerer)
