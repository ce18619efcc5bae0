from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.models import Page
from wagtail_localize.models import Translation
from wagtail_localize.views.edit_translation import user_can_edit_instance

from courses import services
from courses.forms import PromoteForm
from courses.models import Question
from courses.translations import Progress, translation_rows
from lms.translatable import target_languages


@permission_required(["courses.change_question", "courses.add_faq"], raise_exception=True)
def question_promote(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and turn (POST) an answered worker question into an FAQ on its lesson."""
    question = get_object_or_404(Question.objects.select_related("lesson", "worker__user"), pk=pk)
    edit_url = reverse("worker_questions:edit", args=[question.pk])
    if not question.is_answered:
        messages.error(request, gettext("Answer the question before turning it into an FAQ."))
        return redirect(edit_url)
    form = PromoteForm(request.POST or None, initial={"title": question.text[:255]})
    if request.method == "POST" and form.is_valid():
        faq = services.question_promote_to_faq(
            question=question, by=request.user, title=form.cleaned_data["title"]
        )
        if faq.live:
            messages.success(
                request,
                gettext("FAQ “%(faq)s” is now shown on “%(lesson)s”.")
                % {"faq": faq.question, "lesson": question.lesson.title},
            )
        else:
            messages.success(
                request, gettext("FAQ “%(faq)s” was sent to expert review.") % {"faq": faq.question}
            )
        return redirect(edit_url)
    return TemplateResponse(
        request,
        "courses/admin/question_promote.html",
        {"question": question, "form": form, "edit_url": edit_url, "page_title": gettext("Turn into FAQ")},
    )


def _translation_language(request: HttpRequest) -> str:
    """The language chosen on the translations page; anything unknown is the first target language."""
    targets = [code for code, _name in target_languages()]
    chosen = request.GET.get("language", "")
    return chosen if chosen in targets else targets[0]


@permission_required("courses.change_faq", raise_exception=True)
def translations_status(request: HttpRequest) -> HttpResponse:
    """Where each course, lesson and FAQ stands in one language, with the next step for each."""
    language = _translation_language(request)
    rows = translation_rows(language=language)
    return TemplateResponse(
        request,
        "courses/admin/translations.html",
        {
            "page_title": gettext("Course translations"),
            "rows": rows,
            "language": language,
            "languages": target_languages(),
            "out_of_date": sum(row.state == Progress.OUT_OF_DATE for row in rows),
        },
    )


@require_POST
@permission_required("courses.change_faq", raise_exception=True)
def translation_submit(request: HttpRequest, translation_id: int) -> HttpResponse:
    """Send a translation (its segments written into a draft) to expert review."""
    record = get_object_or_404(Translation.objects.select_related("target_locale"), pk=translation_id)
    language = record.target_locale.language_code
    back = f"{reverse('course_translations')}?language={language}"
    try:
        target = record.get_target_instance()
    except ObjectDoesNotExist:
        raise Http404 from None
    if not user_can_edit_instance(request.user, target.specific if isinstance(target, Page) else target):
        raise PermissionDenied
    try:
        target = services.translation_submit_for_review(translation_id=record.pk, by=request.user)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("“%(title)s” was sent to expert review.") % {"title": str(target)})
    return redirect(back)
