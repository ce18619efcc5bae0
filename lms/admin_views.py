"""Ladder's own admin screens in lms: translating what is not a page (skill checks, questions and their
choices and labels, badges, task types and career paths — segment by segment, the source beside each)
and importing workers from the work-assignment system's export, and recording a worker's answers to the
impact questions with their consent."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages

from lms import selectors, services, translatable, worker_import
from lms.forms import WorkerFactsForm
from lms.models import WorkerProfile
from lms.translatable import SEGMENT_MAX_LENGTH, target_languages


def _language(code: str) -> str:
    targets = dict(target_languages())
    if code not in targets:
        raise Http404
    return code


def _may_translate(user, model) -> bool:
    meta = model._meta
    return user.has_perm(f"{meta.app_label}.change_{meta.model_name}")


def items_status(request: HttpRequest) -> HttpResponse:
    """Every translatable item the user may change, with its progress in the chosen language."""
    targets = [code for code, _name in target_languages()]
    language = request.GET.get("language", "")
    language = language if language in targets else targets[0]
    groups = []
    for model in translatable.registered():
        if not _may_translate(request.user, model):
            continue
        rows = [(item, item.translation_progress(language)) for item in model.objects.all()[:500]]
        groups.append((model._meta.verbose_name_plural, model._meta.label_lower, rows))
    if not groups:
        raise PermissionDenied
    return TemplateResponse(
        request,
        "lms/admin/item_translations.html",
        {
            "page_title": gettext("Check and badge translations"),
            "groups": groups,
            "language": language,
            "languages": target_languages(),
        },
    )


class SegmentsForm(forms.Form):
    def __init__(self, *args, segments, kept, **kwargs):
        super().__init__(*args, **kwargs)
        self.segments = segments
        for number, segment in enumerate(segments):
            attrs = {"aria-describedby": f"id_s{number}-source"}  # the English it translates
            widget = (
                forms.Textarea(attrs={**attrs, "rows": 3}) if segment.multiline else forms.TextInput(attrs)
            )
            self.fields[f"s{number}"] = forms.CharField(
                label=segment.source,
                required=False,
                max_length=SEGMENT_MAX_LENGTH,
                widget=widget,
                initial=kept.get(segment.key, [""])[0],
            )

    def texts(self) -> dict[str, str]:
        return {segment.key: self.cleaned_data[f"s{n}"] for n, segment in enumerate(self.segments)}


def item_translate(request: HttpRequest, label: str, pk: int, language: str) -> HttpResponse:
    """One item's segments in one language: the source text, then its translation."""
    model = translatable.registered_model(label)
    if model is None:
        raise Http404
    if not _may_translate(request.user, model):
        raise PermissionDenied
    language = _language(language)
    item = model.objects.filter(pk=pk).first()
    if item is None:
        raise Http404
    shown = item.get_latest_revision_as_object() if getattr(item, "latest_revision_id", None) else item
    segments = shown.segments()
    kept = (shown.translations or {}).get(language, {})
    form = SegmentsForm(request.POST or None, segments=segments, kept=kept)
    back = f"{reverse('item_translations')}?language={language}"
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.item_translation_save(
                item=item, language=language, texts=form.texts(), by=request.user
            )
        except services.TranslationRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                {
                    "published": gettext("The translation of “%(item)s” is published."),
                    "in_review": gettext("The translation of “%(item)s” was sent to expert review."),
                    "saved": gettext("The translation of “%(item)s” is saved."),
                    "draft": gettext("The translation of “%(item)s” is saved as a draft, to be published."),
                }[outcome]
                % {"item": item},
            )
            return redirect(back)
    rows = [
        (segment, form[f"s{number}"], _is_outdated(segment, kept)) for number, segment in enumerate(segments)
    ]
    return TemplateResponse(
        request,
        "lms/admin/item_translate.html",
        {
            "page_title": gettext("Translate “%(item)s”") % {"item": item},
            "item": item,
            "form": form,
            "rows": rows,
            "language": language,
            "language_name": dict(target_languages())[language],
            "back": back,
        },
        status=422 if form.errors else 200,
    )


def _is_outdated(segment, kept) -> bool:
    """Translated once, but the source text changed since."""
    entry = kept.get(segment.key)
    return entry is not None and entry[1] != translatable.fingerprint(segment.source)


class WorkersImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workers CSV"),
        help_text=_(
            "Columns: external_id, username, email; optional first_name, last_name, team, time_zone, "
            "language, site, joined_on (YYYY-MM-DD). UTF-8, at most 1 MB and 2,000 workers."
        ),
    )


def workers_import_view(request: HttpRequest) -> HttpResponse:
    """Upload the work system's worker export: every worker created, or none with each bad line."""
    if not request.user.has_perm("lms.add_workerprofile"):
        raise PermissionDenied
    form = WorkersImportForm(request.POST or None, request.FILES or None)
    errors: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(worker_import.MAX_BYTES + 1)
        try:
            created = worker_import.workers_import(data=data)
        except worker_import.ImportRefused as refused:
            errors = refused.errors
            messages.error(request, str(refused))
        else:
            messages.success(request, gettext("Imported %(count)s workers.") % {"count": len(created)})
            return redirect(reverse("wagtailadmin_home"))
    return TemplateResponse(
        request,
        "lms/admin/workers_import.html",
        {"page_title": gettext("Import workers"), "form": form, "errors": errors},
        status=422 if errors or form.errors else 200,
    )


class AdminFactsForm(WorkerFactsForm):
    """The impact questions as an admin records them for a worker (from a paper form, say), consent first."""

    consent = forms.BooleanField(
        label=_("The worker agreed to answer these questions"),
        required=False,
        help_text=_(
            "Tick it only once the worker has said yes. Unticking it withdraws their consent: their answers "
            "are erased and no report uses them."
        ),
    )

    class Meta(WorkerFactsForm.Meta):
        labels = {
            "gender": _("Gender"),
            "gender_described": _("Gender, in the worker's words"),
            "employment_before": _("Before joining, the worker was"),
            "income_before": _("Monthly income before joining"),
            "income_currency": _("Currency of that income"),
        }

    field_order = ["consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].initial = self.instance.consent

    def clean(self) -> dict:
        data = super().clean()
        answered = any(data.get(name) not in (None, "") for name in services.FACT_FIELDS)
        if answered and not data.get("consent"):
            self.add_error("consent", _("Record the worker's consent first; nothing was saved."))
        return data


def worker_facts_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A worker's consent and answers to the impact questions, recorded by an admin (each change logged)."""
    if not request.user.has_perm("lms.change_workerfacts"):
        raise PermissionDenied
    worker = WorkerProfile.objects.select_related("user").filter(pk=pk).first()
    if worker is None:
        raise Http404
    data = request.POST if request.method == "POST" else None  # unticked with no answers: still a post
    form = AdminFactsForm(data, instance=selectors.worker_facts(worker=worker))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if form.cleaned_data["consent"]:
                services.worker_consent_give(worker=worker, by=request.user)
                services.worker_facts_save(worker=worker, answers=form.cleaned_data, by=request.user)
                messages.success(
                    request, gettext("The answers of %(worker)s are saved.") % {"worker": worker}
                )
            else:
                services.worker_consent_withdraw(worker=worker, by=request.user)
                messages.success(
                    request, gettext("%(worker)s has not agreed: no answers are kept.") % {"worker": worker}
                )
        return redirect(reverse("worker_facts_edit", args=[worker.pk]))
    return TemplateResponse(
        request,
        "lms/admin/worker_facts.html",
        {
            "page_title": gettext("Impact questions: %(worker)s") % {"worker": worker},
            "worker": worker,
            "form": form,
            "history": selectors.consent_history(worker=worker),
        },
        status=422 if form.errors else 200,
    )
