from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail import views as wagtail_views

from courses import selectors, services, shared_parts
from courses.forms import FAQSearchForm, QuestionForm
from courses.models import LessonPage
from lms.web import applied_once, render_page_or_partial, worker_required

LESSON_TEMPLATE = "courses/lesson_page.html"


def _visible_lesson(lesson_id: int) -> LessonPage:
    lesson = selectors.lesson_visible(lesson_id=lesson_id)
    if lesson is None:
        raise Http404("No such lesson.")
    return lesson


def serve_page(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page view, with the request's site (and its root page) from this process's memory."""
    with shared_parts.one_version():
        request._wagtail_site = shared_parts.site_for_request(request)
        return wagtail_views.serve(request, path)


@require_POST
@worker_required
def lesson_open(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = _visible_lesson(lesson_id)

    def apply(at):
        services.lesson_open(worker=request.worker, lesson=lesson, at=at)
        return HttpResponse(status=204)

    return applied_once(request, kind="lesson_open", apply=apply)


@require_POST
@worker_required
def lesson_heartbeat(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = _visible_lesson(lesson_id)

    def apply(at):
        try:
            counted = services.lesson_heartbeat(worker=request.worker, lesson=lesson, at=at)
        except services.LearningError as error:
            return JsonResponse({"error": str(error)}, status=409)
        return JsonResponse({"counted_seconds": counted})

    return applied_once(request, kind="lesson_heartbeat", apply=apply)


@require_POST
@worker_required
def lesson_complete(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = _visible_lesson(lesson_id)

    def apply(at):
        services.lesson_complete(worker=request.worker, lesson=lesson, at=at)
        context = selectors.lesson_context_for_worker(worker=request.worker, lesson=lesson)
        if request.htmx:
            return render(request, f"{LESSON_TEMPLATE}#finish", {**context, "page": lesson})
        messages.success(request, _("Lesson done. Well done!"))
        return redirect(context["next_lesson"].url if context["next_lesson"] else context["course"].url)

    return applied_once(request, kind="lesson_complete", apply=apply)


@require_POST
@worker_required
def question_ask(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = _visible_lesson(lesson_id)
    return applied_once(request, kind="question_ask", apply=lambda at: _question_ask(request, lesson, at))


def _question_ask(request: HttpRequest, lesson: LessonPage, at) -> HttpResponse:
    form = QuestionForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            services.question_ask(worker=request.worker, lesson=lesson, text=form.cleaned_data["text"], at=at)
        except services.LearningError as error:
            form.add_error("text", str(error))
            status = 429
        else:
            if not request.htmx:
                messages.success(
                    request, _("Thank you. Your question was sent; the answer will show on your home page.")
                )
                return redirect(f"{lesson.url}#ask")
            form, status = QuestionForm(), 201
    context = {
        **selectors.lesson_context_for_worker(worker=request.worker, lesson=lesson),
        "page": lesson,
        "question_form": form,
        "question_form_kept": None if form.is_bound else QuestionForm.BLANK,
        "question_sent": status == 201,
    }
    return render_page_or_partial(request, LESSON_TEMPLATE, context, partial="ask", status=status)


@require_GET
@login_required
def faq_search(request: HttpRequest) -> HttpResponse:
    form = FAQSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"form": form, "query": query, "results": selectors.faq_search(query=query)}
    return render_page_or_partial(request, "courses/faq_search.html", context, partial="results")


@require_GET
@worker_required
def my_questions(request: HttpRequest) -> HttpResponse:
    questions = selectors.questions_for_worker(worker=request.worker)[:100]
    return render(request, "courses/my_questions.html", {"questions": questions})


@require_POST
@worker_required
def question_seen(request: HttpRequest, question_id: int) -> HttpResponse:
    if not selectors.questions_for_worker(worker=request.worker).filter(pk=question_id).exists():
        raise Http404("No such question.")
    services.question_answer_seen(worker=request.worker, question_id=question_id)
    if request.htmx:
        return HttpResponse("")
    return redirect("my_questions" if request.POST.get("next") == "my_questions" else "home")


@require_GET
@worker_required
def course_offline_pack(request: HttpRequest, course_id: int) -> HttpResponse:
    """What to keep on the phone to learn this course offline, and how much room it takes."""
    course = selectors.course_visible(course_id=course_id)
    if course is None:
        raise Http404("No such course.")
    pack = selectors.offline_pack_for_course(course=course)
    response = JsonResponse(
        {
            "course": course.pk,
            "title": pack.title,  # in the reader's language, for the list of saved courses
            "pages": pack.pages,
            "images": pack.images,
            "bytes": pack.bytes,
            "size": filesizeformat(pack.bytes),
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response
