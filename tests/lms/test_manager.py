"""Manager pages: scope on every URL, the team week with its CSV, worker detail, decisions and goals."""

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments import services as assessment_services
from assignment import services as assignment_services
from assignment.models import Appeal, Suspension
from assignment.services.work_results import WorkResultIn
from careerpaths import services as career_services
from lms import roles
from lms.models import LearningEvent, Team, WeeklyRecord
from lms.records.rollup import weekly_rollup
from lms.selectors import week_of
from lms.services import user_create
from tests.conftest import PASSWORD


def learn(worker, minutes: int, at: datetime | None = None) -> None:
    at = at or timezone.now()
    LearningEvent.objects.bulk_create(
        LearningEvent(
            worker=worker,
            kind=LearningEvent.Kind.LEARNING_TIME,
            occurred_at=at - timedelta(seconds=31 * n),
            seconds=30,
        )
        for n in range(minutes * 2)
    )


@pytest.fixture
def boss(db):
    return user_create(username="boss", email="boss@ladder.example", password=PASSWORD, role=roles.MANAGERS)


@pytest.fixture
def team(boss, worker):
    team = Team.objects.create(name="Tagging team", default_weekly_goal_minutes=60)
    team.managers.add(boss)
    worker.team = team
    worker.save(update_fields=["team"])
    return team


@pytest.fixture
def boss_client(client, boss, team):
    client.force_login(boss)
    return client


@pytest.fixture
def outsider(make_worker, task_types, entry_badge, box_badge, assistant):
    """A worker of another team, with a suspension and an appeal: what the boss must never reach."""
    other_team = Team.objects.create(name="Other team")
    worker = make_worker("outsider", team=other_team)
    for badge in (entry_badge, box_badge):
        assessment_services.badge_award(worker=worker, badge=badge, by=assistant, reason="Prior learning")
    suspension = Suspension.objects.create(
        worker=worker,
        task_type=task_types["boxes"],
        accuracy=Decimal("0.5"),
        threshold=Decimal("0.9"),
        tasks_counted=30,
    )
    appeal = assignment_services.appeal_create(worker=worker, suspension_id=suspension.pk, message="Please")
    return {"team": other_team, "worker": worker, "appeal": appeal, "suspension": suspension}


def manager_url_names() -> set[str]:
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name and pattern.name.startswith("manager_"):
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


# Every manager URL, and how to aim it at another team's record. A new manager URL must be added here.
SCOPE_CASES = {
    "manager_team_week": ("GET", lambda o: reverse("manager_team_week") + f"?team={o['team'].pk}"),
    "manager_team_week_csv": ("GET", lambda o: reverse("manager_team_week_csv", args=[o["team"].pk])),
    "manager_team_goal": ("POST", lambda o: reverse("manager_team_goal", args=[o["team"].pk])),
    "manager_worker": ("GET", lambda o: reverse("manager_worker", args=[o["worker"].pk])),
    "manager_worker_goal": ("POST", lambda o: reverse("manager_worker_goal", args=[o["worker"].pk])),
    "manager_worker_password": (
        "POST",
        lambda o: reverse("manager_worker_password", args=[o["worker"].pk]),
    ),
    "manager_promotion_decide": (
        "POST",
        lambda o: reverse("manager_promotion_decide", args=[o["worker"].pk]),
    ),
    "manager_readiness": ("GET", lambda o: reverse("manager_readiness")),
    "manager_appeal_answer": ("POST", lambda o: reverse("manager_appeal_answer", args=[o["appeal"].pk])),
}


def test_every_manager_url_has_a_scope_case():
    assert manager_url_names() == set(SCOPE_CASES)


@pytest.mark.parametrize("name", sorted(SCOPE_CASES))
def test_manager_urls_are_scoped_to_the_managers_own_teams(name, client, boss_client, worker, outsider):
    method, make_url = SCOPE_CASES[name]
    url = make_url(outsider)
    data = {"minutes": "5", "decision": "lift", "answer": "ok", "note": "x"}

    def call(c):
        return c.post(url, data) if method == "POST" else c.get(url)

    response = call(boss_client)
    if name == "manager_readiness":
        html = response.content.decode()
        assert response.status_code == 200 and "Please" not in html and "outsider" not in html
    else:
        assert response.status_code == 404, url
    client.logout()
    assert call(client).status_code == 302  # anonymous: to the login page
    client.force_login(worker.user)
    assert call(client).status_code == 403  # a worker manages no team
    if method == "GET":
        assert boss_client.post(url, data).status_code in (403, 404, 405)  # no state change by GET twin
    # Nothing of the other team changed.
    outsider["team"].refresh_from_db()
    outsider["worker"].refresh_from_db()
    outsider["appeal"].refresh_from_db()
    assert outsider["team"].default_weekly_goal_minutes == 90
    assert outsider["worker"].weekly_goal_minutes is None
    assert outsider["appeal"].decision == Appeal.Decision.PENDING


def test_team_week_shows_each_worker_with_goal_streak_work_and_sorts(boss_client, team, worker, make_worker):
    keen = make_worker("keen", team=team, time_zone="Asia/Kolkata")
    learn(worker, 20)
    learn(keen, 75)
    weekly_rollup()
    html = boss_client.get(reverse("manager_team_week")).content.decode()
    assert "Tagging team" in html
    assert "20 / 60" in html and "75 / 60" in html and "met" in html
    assert 'aria-label="33% of goal"' in html
    assert "<svg" in html and "<polyline" in html and "Learning time and work time" in html
    by_minutes = boss_client.get(reverse("manager_team_week") + "?sort=-minutes").content.decode()
    assert by_minutes.index("keen") < by_minutes.index("voahangy")
    by_name = boss_client.get(reverse("manager_team_week") + "?sort=name").content.decode()
    assert by_name.index("keen") < by_name.index("voahangy")

    last_week = week_of(worker=worker) - timedelta(weeks=1)
    past = boss_client.get(reverse("manager_team_week") + f"?week={last_week.isoformat()}").content.decode()
    assert "20 / 60" not in past and f"Week of {last_week:%-d %b %Y}" in past
    assert boss_client.get(reverse("manager_team_week") + "?week=garbage").status_code == 200


def test_team_week_csv_matches_the_page(boss_client, team, worker):
    learn(worker, 30)
    weekly_rollup()
    response = boss_client.get(reverse("manager_team_week_csv", args=[team.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["external_id"] == "voahangy" and rows[0]["minutes_learned"] == "30"
    assert rows[0]["goal_minutes"] == "60" and rows[0]["goal_met"] == "no"
    assert rows[0]["week"] == week_of(worker=worker).isoformat()


def test_csv_cells_cannot_become_formulas(boss_client, team, make_worker):
    make_worker("sneaky", team=team, first_name="=HYPERLINK(1)")
    body = boss_client.get(reverse("manager_team_week_csv", args=[team.pk])).content.decode()
    assert "'=HYPERLINK(1)" in body


@pytest.mark.parametrize("url_name", ["manager_team_week", "manager_team_week_csv"])
def test_team_week_queries_do_not_grow_with_workers(url_name, boss_client, team, make_worker):
    url = reverse(url_name, args=[team.pk]) if url_name.endswith("csv") else reverse(url_name)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert boss_client.get(url).status_code == 200
        return len(queries)

    for n in range(9):
        learn(make_worker(f"ten{n}", team=team), 10)
    weekly_rollup()
    ten = count()
    for n in range(90):
        learn(make_worker(f"hundred{n}", team=team), 10)
    weekly_rollup()
    assert count() == ten


def test_worker_detail_shows_history_badges_suspensions_and_readiness(
    boss_client, team, worker, entry_badge, assistant, task_types, career_path
):
    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior learning")
    learn(worker, 40)
    weekly_rollup()
    html = boss_client.get(reverse("manager_worker", args=[worker.pk])).content.decode()
    assert "Image Tagging" in html and "Weekly history" in html and "40 / 60" in html
    assert "Next level: Senior" in html and "1 of 2 badges" in html
    assert "Approve" not in html  # not ready


def test_manager_approves_a_ready_worker_from_the_readiness_list(
    boss_client, team, worker, career_path, entry_badge, box_badge, assistant, task_types
):
    for badge in (entry_badge, box_badge):
        assessment_services.badge_award(worker=worker, badge=badge, by=assistant, reason="Prior learning")
    for weeks_ago in range(3):
        learn(worker, 100, at=timezone.now() - timedelta(weeks=weeks_ago))
    end = timezone.now() - timedelta(days=1)
    assignment_services.work_results_ingest(
        results=[
            WorkResultIn(
                id="r1", worker=worker.external_id, task_type="image-tagging",
                period_start=end - timedelta(hours=1), period_end=end, tasks_completed=40,
                minutes_worked=50, accuracy=Decimal("0.97"),
            )
        ]
    )  # fmt: skip
    weekly_rollup()  # learning and work reach the weekly records that readiness reads
    career_services.readiness_recompute(worker=worker)

    listing = boss_client.get(reverse("manager_readiness")).content.decode()
    assert "voahangy" in listing.lower() or "Voahangy" in listing
    assert "Approve: Senior" in listing

    url = reverse("manager_promotion_decide", args=[worker.pk])
    senior = career_path["senior"].pk
    declined = boss_client.post(url, {"decision": "decline", "note": "", "level": senior}, follow=True)
    assert "Say why" in declined.content.decode()
    approve = {"decision": "approve", "note": "Great work", "next": "readiness", "level": senior}
    response = boss_client.post(url, approve, follow=True)
    assert "is now Senior" in response.content.decode()
    # A second click on the same button does not promote again (the lead level needs only approval).
    again = boss_client.post(url, approve, follow=True)
    assert "already decided" in again.content.decode()
    worker.career.refresh_from_db()
    assert worker.career.level == career_path["senior"]


def test_goals_are_validated_and_this_weeks_record_follows(boss_client, team, worker):
    learn(worker, 50)
    weekly_rollup()
    bad = boss_client.post(reverse("manager_team_goal", args=[team.pk]), {"minutes": "-5"}, follow=True)
    assert "from 30 to 2400" in bad.content.decode()
    team.refresh_from_db()
    assert team.default_weekly_goal_minutes == 60

    boss_client.post(reverse("manager_team_goal", args=[team.pk]), {"minutes": "45"})
    record = WeeklyRecord.objects.get(worker=worker, week=week_of(worker=worker))
    assert (record.goal_minutes, record.goal_met) == (45, True)

    boss_client.post(reverse("manager_worker_goal", args=[worker.pk]), {"minutes": "120"})
    worker.refresh_from_db()
    record.refresh_from_db()
    assert worker.weekly_goal_minutes == 120 and (record.goal_minutes, record.goal_met) == (120, False)
    boss_client.post(reverse("manager_worker_goal", args=[worker.pk]), {"minutes": ""})
    worker.refresh_from_db()
    assert worker.weekly_goal_minutes is None


def test_manager_answers_an_appeal(boss_client, team, worker, task_types, entry_badge, box_badge, assistant):
    for badge in (entry_badge, box_badge):
        assessment_services.badge_award(worker=worker, badge=badge, by=assistant, reason="Prior learning")
    suspension = Suspension.objects.create(
        worker=worker,
        task_type=task_types["boxes"],
        accuracy=Decimal("0.5"),
        threshold=Decimal("0.9"),
        tasks_counted=30,
    )
    appeal = assignment_services.appeal_create(worker=worker, suspension_id=suspension.pk, message="Blurry")
    assert "Blurry" in boss_client.get(reverse("manager_readiness")).content.decode()
    empty = boss_client.post(
        reverse("manager_appeal_answer", args=[appeal.pk]), {"decision": "lift", "answer": ""}, follow=True
    )
    assert "Write an answer" in empty.content.decode()
    boss_client.post(
        reverse("manager_appeal_answer", args=[appeal.pk]), {"decision": "lift", "answer": "Agreed"}
    )
    appeal.refresh_from_db()
    suspension.refresh_from_db()
    assert appeal.decision == Appeal.Decision.LIFTED and suspension.lifted_at is not None


def test_home_shows_the_weekly_goal_streak_and_next_level(worker_client, worker, career_path, team):
    for weeks_ago in (1, 2):
        learn(worker, 70, at=timezone.now() - timedelta(weeks=weeks_ago))
    learn(worker, 30)
    weekly_rollup()
    career_services.readiness_recompute(worker=worker)  # as the rollup's background task does
    html = worker_client.get(reverse("home")).content.decode()
    assert "30 of 60 minutes" in html and 'value="50"' in html
    assert "2 weeks" in html
    assert "Your level: Trainee" in html and "Next: <strong>Annotator</strong>" in html


def test_home_queries_do_not_grow_with_history(worker_client, worker, team):
    def count() -> int:
        worker_client.get(reverse("home"))
        with CaptureQueriesContext(connection) as queries:
            worker_client.get(reverse("home"))
        return len(queries)

    learn(worker, 10)
    weekly_rollup()
    short = count()
    for weeks_ago in range(1, 30):
        learn(worker, 10, at=datetime.now(UTC) - timedelta(weeks=weeks_ago))
    weekly_rollup()
    assert count() == short


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "1999-12-27"])
def test_a_week_outside_the_records_answers_400_on_the_page_and_the_csv(week, boss_client, team):
    assert boss_client.get(reverse("manager_team_week"), {"week": week}).status_code == 400
    csv_url = reverse("manager_team_week_csv", args=[team.pk])
    assert boss_client.get(csv_url, {"week": week}).status_code == 400


def test_the_managers_current_week_is_the_teams_not_utcs(boss_client, team, time_machine):
    from datetime import UTC, datetime

    team.time_zone = "Pacific/Kiritimati"  # UTC+14: Monday already while UTC is still on Sunday
    team.save()
    time_machine.move_to(datetime(2026, 11, 29, 12, 0, tzinfo=UTC), tick=False)
    html = boss_client.get(reverse("manager_team_week")).content.decode()
    assert 'value="2026-11-30"' in html


def test_a_goal_below_the_floor_is_refused_and_a_leads_change_keeps_their_own_goal(boss_client, boss, team):
    from lms.models import MIN_WEEKLY_GOAL, WorkerProfile

    url = reverse("manager_team_goal", args=[team.pk])
    boss_client.post(url, {"minutes": "0"})
    team.refresh_from_db()
    assert team.default_weekly_goal_minutes == 60

    # The boss is also a worker in the team (a team lead): lowering the team's goal leaves theirs at 60.
    WorkerProfile.objects.create(user=boss, external_id="boss", team=team)
    boss_client.post(url, {"minutes": str(MIN_WEEKLY_GOAL)})
    team.refresh_from_db()
    assert team.default_weekly_goal_minutes == MIN_WEEKLY_GOAL
    assert WorkerProfile.objects.get(user=boss).weekly_goal_minutes == 60


def _team_week(client, query: str = "") -> tuple[str, int]:
    """The page's table and chart (the rest holds a CSRF token new in every answer), and its query count."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("manager_team_week") + query)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<div class="table-wrap"') : html.index('aria-labelledby="goal-heading"')], len(
        queries
    )


def test_the_team_week_is_kept_until_records_careers_or_people_change(
    boss_client, team, worker, career_path, entry_badge, assistant
):
    learn(worker, 20)
    weekly_rollup()
    built, built_queries = _team_week(boss_client)
    kept, kept_queries = _team_week(boss_client)
    assert "20 / 60" in kept and kept == built
    assert kept_queries < built_queries  # the rows were not read again

    learn(worker, 15)
    weekly_rollup()  # the rollup rewrites the week: the team's table is built anew
    assert "35 / 60" in _team_week(boss_client)[0]

    # A career status moves (the entry badge takes the worker up to Annotator).
    assert "Annotator" not in _team_week(boss_client)[0]
    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior learning")
    assert "Annotator" in _team_week(boss_client)[0]

    # Someone edits the worker's account: their new name shows.
    worker.user.first_name = "Voahangy-Renamed"
    worker.user.save(update_fields=["first_name"])
    assert "Voahangy-Renamed" in _team_week(boss_client)[0]

    # Each order and week is its own table; a sign-in changes nothing shown and keeps them.
    by_minutes, _ = _team_week(boss_client, "?sort=-minutes")
    assert _team_week(boss_client, "?sort=-minutes")[1] == kept_queries
    boss_client.force_login(worker.user.__class__.objects.get(username="boss"))
    assert _team_week(boss_client, "?sort=-minutes") == (by_minutes, kept_queries)


def test_a_kept_team_week_is_one_managers_own(boss_client, client, team, worker, make_worker):
    """A lead who manages the team and works in it sees everyone but themself; another manager sees them."""
    lead = make_worker("lead-and-worker", team=team)
    team.managers.add(lead.user)
    learn(worker, 20)
    weekly_rollup()
    assert "lead-and-worker" in _team_week(boss_client)[0]
    client.force_login(lead.user)
    as_lead, _ = _team_week(client)
    assert "lead-and-worker" not in as_lead and "20 / 60" in as_lead


def test_an_unknown_sort_is_the_name_order_and_not_a_new_table(boss_client, team, worker):
    by_name, _ = _team_week(boss_client, "?sort=name")
    _, queries = _team_week(boss_client, "?sort=name")
    assert _team_week(boss_client, "?sort=" + "x" * 300) == (by_name, queries)
