"""The import wizard (upload → mapping with preview → background check and commit → summary)
and the exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kliento.clients.forms import ClientFilterForm
from kliento.clients.imports import exports, fields
from kliento.clients.imports.forms import MappingForm, UploadForm, too_large_message
from kliento.clients.imports.jobs import queue_job, requeue_stalled_job
from kliento.clients.imports.parsing import FileProblem, open_table
from kliento.clients.imports.resolving import MAX_ID
from kliento.clients.imports.values import text
from kliento.clients.models import ImportJob, Purchase
from kliento.clients.selectors import search_clients
from kliento.core.permissions import require

PREVIEW_ROWS = 5
# Room for the multipart envelope around the file itself.
UPLOAD_OVERHEAD = 64 * 1024


@require("clients.import_data")
def import_list(request: HttpRequest) -> HttpResponse:
    jobs = ImportJob.objects.select_related("created_by")
    page = Paginator(jobs, 25).get_page(request.GET.get("page"))
    return render(request, "clients/imports/list.html", {"page": page})


@require("clients.import_data")
def import_new(request: HttpRequest) -> HttpResponse:
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and declared > settings.KLIENTO_MAX_UPLOAD_BYTES + UPLOAD_OVERHEAD:
        # Refuse before Django reads the body into a temporary file.
        context = {"form": UploadForm(), "problem": too_large_message()}
        return render(request, "clients/imports/upload.html", context, status=413)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob(
            target=form.cleaned_data["target"],
            original_name=upload.name[:255],
            encoding=form.cleaned_data["encoding"],
            created_by=request.user,
        )
        job.file.save(upload.name, upload, save=False)
        try:
            # The header and the preview rows must be readable before the mapping step.
            open_table(job.file.path, job.original_name, job.encoding).preview(PREVIEW_ROWS)
        except FileProblem as exc:
            job.file.delete(save=False)
            form.add_error("file", exc.message)
        else:
            job.save()
            return redirect("imports:mapping", pk=job.pk)
    return render(request, "clients/imports/upload.html", {"form": form})


@require("clients.import_data")
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    if job.status != ImportJob.Status.UPLOADED:
        return redirect("imports:detail", pk=job.pk)
    try:
        table = open_table(job.file.path, job.original_name, job.encoding)
        preview = table.preview(PREVIEW_ROWS)
    except FileProblem as exc:
        return render(request, "clients/imports/mapping.html", {"job": job, "problem": exc.message})
    headers = table.headers or []
    initial = job.mapping or fields.auto_mapping(headers, job.target)
    form = MappingForm(
        request.POST or None, headers=headers, target=job.target, initial_mapping=initial
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            queue_job(job, mapping=form.mapping)
        return redirect("imports:detail", pk=job.pk)
    context = {
        "job": job,
        "form": form,
        "headers": headers,
        "preview": [(n, [text(v) for v in values[: len(headers)]]) for n, values in preview],
        "specs": fields.fields_for(job.target),
    }
    return render(request, "clients/imports/mapping.html", context)


@require("clients.import_data")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    template = "clients/imports/detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, {"job": job})


@require_POST
@require("clients.import_data")
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    if requeue_stalled_job(actor=request.user, job_id=job.pk):
        messages.success(request, _("The import is queued again."))
    else:
        messages.info(request, _("The import is not stalled; nothing was changed."))
    return redirect("imports:detail", pk=job.pk)


@require("clients.import_data")
def import_report(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(ImportJob, pk=pk)
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
@require("clients.export_data")
def export(request: HttpRequest, target: str) -> HttpResponse:
    file_format = request.GET.get("format", "csv")
    if file_format not in ("csv", "xlsx"):
        raise Http404(_("Unknown export format."))
    if target == fields.CLIENTS:
        clients = search_clients(ClientFilterForm(request.GET).to_filters())
        header, rows = exports.CLIENT_COLUMNS, exports.client_rows(clients)
    elif target == fields.PURCHASES:
        purchases = Purchase.objects.all()
        # isdecimal, not isdigit: int() refuses "²", which isdigit accepts.
        if (client_id := request.GET.get("client", "")).isdecimal():
            purchases = (
                purchases.filter(client_id=int(client_id))
                if int(client_id) <= MAX_ID
                else purchases.none()  # no such client; the database could not even compare
            )
        header, rows = exports.PURCHASE_COLUMNS, exports.purchase_rows(purchases)
    else:
        raise Http404(_("Unknown export."))
    if file_format == "xlsx":
        return exports.xlsx_response(target, header, rows)
    return exports.csv_response(target, header, rows)
