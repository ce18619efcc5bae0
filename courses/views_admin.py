from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.admin import messages

from courses import services
from courses.forms import PromoteForm
from courses.models import Question


@permission_required(["courses.change_question", "courses.add_faq"], raise_exception=True)
def question_promote(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and turn (POST) an answered worker question into an FAQ on its lesson."""
    question = get_object_or_404(Question.objects.select_related("lesson", "worker__user"), pk=pk)
    edit_url = reverse("worker_questions:edit", args=[question.pk])
    if not question.is_answered:
        messages.error(request, "Answer the question before turning it into an FAQ.")
        return redirect(edit_url)
    form = PromoteForm(request.POST or None, initial={"title": question.text[:255]})
    if request.method == "POST" and form.is_valid():
        faq = services.question_promote_to_faq(
            question=question, by=request.user, title=form.cleaned_data["title"]
        )
        if faq.live:
            messages.success(request, f"FAQ “{faq.question}” is now shown on “{question.lesson.title}”.")
        else:
            messages.success(request, f"FAQ “{faq.question}” was sent to expert review.")
        return redirect(edit_url)
    return TemplateResponse(
        request,
        "courses/admin/question_promote.html",
        {"question": question, "form": form, "edit_url": edit_url, "page_title": "Turn into FAQ"},
    )
