from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import selectors as assessment_selectors
from assignment import selectors as assignment_selectors
from careerpaths import selectors as career_selectors
from courses import selectors as course_selectors
from lms.portal import manager_selectors
from lms.selectors import learning_week_for_worker, worker_for_user


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The worker's start page: what to do next. Staff get a short page pointing at their tools."""
    worker = worker_for_user(user=request.user)
    manages_teams = manager_selectors.teams_managed(user=request.user).exists()
    if worker is None:
        return render(request, "lms/staff_home.html", {"manages_teams": manages_teams})
    awards = assessment_selectors.badges_for_worker(worker=worker)
    context = {
        "worker": worker,
        "continue_lesson": course_selectors.continue_learning_for_worker(worker=worker),
        "course_cards": course_selectors.course_cards_for_worker(worker=worker),
        "answers": course_selectors.answers_unseen_for_worker(worker=worker),
        "awards": [award for award in awards if award.is_active],
        "expiring": assessment_selectors.badges_expiring_soon(awards=awards),
        "work": assignment_selectors.work_for_worker(worker=worker),
        "learning_week": learning_week_for_worker(worker=worker),
        "career": career_selectors.career_for_worker(worker=worker),
        "manages_teams": manages_teams,
    }
    return render(request, "lms/home.html", context)
