"""The import wizard (upload → mapping with preview → background check and commit → summary)
and the exports, for whichever registered target the user may use.

Every view checks the permission of the target it touches: a user who may import clients but
not X gets a 403 for X's uploads, jobs and reports. An unknown target is a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from kliento.core.permissions import require_that
from kliento.core.types import AuthenticatedHttpRequest, HtmxHttpRequest
from kliento.imports import exports, fields, registry, services
from kliento.imports.forms import MappingForm, UploadForm, too_large_message
from kliento.imports.limits import Limits
from kliento.imports.models import ImportJob
from kliento.imports.registry import ImportTarget

# Room for the multipart envelope around the file itself.
UPLOAD_OVERHEAD = 64 * 1024


def _target(key: str) -> ImportTarget:
    try:
        return registry.get_target(key)
    except registry.UnknownTarget:
        raise Http404(_("Nothing can be imported or exported as this.")) from None


def _importable(request: AuthenticatedHttpRequest, key: str) -> ImportTarget:
    target = _target(key)
    if not target.may_import(request.user):
        raise PermissionDenied
    return target


def _job(
    request: AuthenticatedHttpRequest, pk: int, queryset: QuerySet[ImportJob] | None = None
) -> tuple[ImportJob, ImportTarget]:
    job = get_object_or_404(queryset if queryset is not None else ImportJob.objects, pk=pk)
    return job, _importable(request, job.target)


def _importable_targets(request: AuthenticatedHttpRequest) -> list[ImportTarget]:
    allowed = registry.importable_by(request.user)
    if not allowed:
        raise PermissionDenied
    return allowed


@require_that(registry.may_import_any)
def import_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    allowed = _importable_targets(request)
    jobs = ImportJob.objects.filter(target__in=[t.key for t in allowed])
    page = Paginator(jobs.select_related("created_by"), 25).get_page(request.GET.get("page"))
    context = {"page": page, "exportable": registry.exportable_by(request.user)}
    return render(request, "imports/list.html", context)


@require_that(registry.may_import_any)
def import_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    allowed = _importable_targets(request)
    chosen = request.POST.get("target") or request.GET.get("target")
    if chosen:
        _importable(request, chosen)  # 404 for an unknown target, 403 for a forbidden one
    initial = {"target": chosen} if chosen else None
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and declared > settings.KLIENTO_MAX_UPLOAD_BYTES + UPLOAD_OVERHEAD:
        # Refuse before Django reads the body into a temporary file.
        context = {"form": UploadForm(targets=allowed), "problem": too_large_message()}
        return render(request, "imports/upload.html", context, status=413)
    form = UploadForm(request.POST or None, request.FILES or None, targets=allowed, initial=initial)
    if request.method == "POST" and form.is_valid():
        job = services.create_job(
            actor=request.user,
            target=registry.get_target(form.cleaned_data["target"]),
            upload=form.cleaned_data["file"],
            encoding=form.cleaned_data["encoding"],
        )
        return redirect("imports:mapping", pk=job.pk)
    return render(request, "imports/upload.html", {"form": form})


def _mapping_problem(job: ImportJob) -> str:
    if not job.file.name or not job.file.storage.exists(job.file.name):
        # MEDIA_ROOT lost, or not shared between the web server and the worker.
        return _("The file cannot be read any more; upload it again.")
    limits = Limits.from_settings()
    if len(job.headers) > limits.columns:  # the limit was lowered since the file was read
        return limits.too_many_columns(1, len(job.headers)).message
    return ""


@require_that(registry.may_import_any)
def import_mapping(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The worker reads the file first (the page shows that it does); then the form maps the
    column names it found, with the first rows as a preview."""
    job, target = _job(request, pk)
    if job.status == ImportJob.Status.UPLOADED and not job.headers:
        services.prepare_again(job=job)
        job.refresh_from_db()
    if job.status == ImportJob.Status.PREPARING:
        template = "imports/mapping.html#preparing" if request.htmx else "imports/mapping.html"
        return render(request, template, {"job": job, "target": target, "preparing": True})
    if request.htmx:  # the polling page: the file is read (or refused), show what came of it
        return HttpResponseClientRefresh()
    if job.status != ImportJob.Status.UPLOADED:
        return redirect("imports:detail", pk=job.pk)
    problem = _mapping_problem(job)
    if problem:
        return render(
            request, "imports/mapping.html", {"job": job, "target": target, "problem": problem}
        )
    headers: list[str] = job.headers
    initial = job.mapping or fields.auto_mapping(headers, target.fields)
    form = MappingForm(
        request.POST or None, headers=headers, specs=target.fields, initial_mapping=initial
    )
    if request.method == "POST" and form.is_valid():
        services.queue_job(job=job, mapping=form.mapping)
        return redirect("imports:detail", pk=job.pk)
    context = {
        "job": job,
        "target": target,
        "form": form,
        "headers": headers,
        "preview": job.preview,
        "specs": target.fields,
    }
    return render(request, "imports/mapping.html", context)


@require_that(registry.may_import_any)
def import_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    job, target = _job(request, pk, ImportJob.objects.select_related("created_by"))
    template = "imports/detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, {"job": job, "target": target})


@require_POST
@require_that(registry.may_import_any)
def import_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)[0]
    if services.requeue_stalled_job(actor=request.user, job_id=job.pk):
        messages.success(request, _("The import is queued again."))
    else:
        messages.info(request, _("The import is not stalled; nothing was changed."))
    return redirect("imports:detail", pk=job.pk)


@require_that(registry.may_import_any)
def import_report(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)[0]
    try:
        report = job.error_report.open("rb") if job.error_report else None
    except OSError:  # listed, but the file is gone (MEDIA_ROOT lost or not shared)
        report = None
    if report is None:
        raise Http404(_("This import has no error report."))
    return FileResponse(
        report,
        as_attachment=True,
        filename=f"{job.original_name.rsplit('.', 1)[0]}-errors.csv",
        content_type="text/csv",
    )


@require_GET
@require_that(registry.may_export_any)
def export(request: AuthenticatedHttpRequest, target: str) -> StreamingHttpResponse | FileResponse:
    found = _target(target)
    if not found.exports:
        raise Http404(_("Unknown export."))
    if not found.may_export(request.user):
        raise PermissionDenied
    file_format = request.GET.get("format", "csv")
    if file_format not in exports.FORMATS:
        raise Http404(_("Unknown export format."))
    assert found.exporter is not None
    header, rows = found.exporter(request.user, request.GET)
    # XLSX is for people: its headers are the fields' labels in the user's language (the
    # importer knows them in every language); CSV keeps the keys, for programs.
    labels = {**found.export_labels, **{spec.key: spec.label for spec in found.fields}}
    return exports.export_response(
        found.key, file_format, header, rows, labels={k: str(v) for k, v in labels.items()}
    )
