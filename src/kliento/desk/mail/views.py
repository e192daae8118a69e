"""The e-mail channel's pages for managers: mailboxes (with a connection test), stored raw
messages (download, read again)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import access
from kliento.desk.mail import imap, intake, mailboxes, selectors
from kliento.desk.mail.forms import MailboxForm
from kliento.desk.models import InboundMail, Mailbox

MANAGE = (access.VIEW, access.MANAGE)


@require(*MANAGE)
def mailbox_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {"mailboxes": selectors.mailboxes(), "failures": selectors.recent_failures()}
    return render(request, "desk/mail/mailboxes.html", context)


def _form_page(request: AuthenticatedHttpRequest, box: Mailbox) -> HttpResponse:
    form = MailboxForm(request.POST or None, instance=box)
    if request.method == "POST" and form.is_valid():
        saved = mailboxes.save_mailbox(
            actor=request.user,
            mailbox=form.save(commit=False),
            password=form.cleaned_data.get("password") or "",
        )
        messages.success(request, _("The mailbox “%(name)s” is saved.") % {"name": saved.name})
        return HttpResponseRedirect(reverse("desk:mailboxes"))
    heading = _("New mailbox") if box.pk is None else _("Mailbox “%(name)s”") % {"name": box}
    return render(
        request, "desk/mail/mailbox_form.html", {"form": form, "heading": heading, "box": box}
    )


@require(*MANAGE)
def mailbox_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _form_page(request, Mailbox())


@require(*MANAGE)
def mailbox_edit(request: AuthenticatedHttpRequest, mailbox_id: int) -> HttpResponse:
    return _form_page(request, get_object_or_404(Mailbox, pk=mailbox_id))


@require_POST
@require(*MANAGE)
def mailbox_test(request: AuthenticatedHttpRequest, mailbox_id: int) -> HttpResponse:
    box = get_object_or_404(Mailbox, pk=mailbox_id)
    error = imap.test_connection(box)
    if error:
        messages.error(
            request,
            _("Could not read “%(name)s”: %(error)s") % {"name": box.name, "error": error},
        )
    else:
        messages.success(request, _("“%(name)s” can be read.") % {"name": box.name})
    return HttpResponseRedirect(reverse("desk:mailboxes"))


@require_POST
@require(*MANAGE)
def mailbox_delete(request: AuthenticatedHttpRequest, mailbox_id: int) -> HttpResponse:
    box = get_object_or_404(Mailbox, pk=mailbox_id)
    mailboxes.delete_mailbox(actor=request.user, mailbox=box)
    messages.success(request, _("The mailbox “%(name)s” is deleted.") % {"name": box.name})
    return HttpResponseRedirect(reverse("desk:mailboxes"))


def _raw(request: AuthenticatedHttpRequest, raw_id: int) -> InboundMail:
    row = get_object_or_404(InboundMail, pk=raw_id)
    # The case's visibility rule applies to its raw message too (404, never 403).
    if row.case is not None and not access.can_see(request.user, row.case):
        raise Http404
    return row


@require(*MANAGE)
def raw_download(request: AuthenticatedHttpRequest, raw_id: int) -> HttpResponse:
    row = _raw(request, raw_id)
    response = HttpResponse(bytes(row.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{row.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@require(*MANAGE)
def raw_reprocess(request: AuthenticatedHttpRequest, raw_id: int) -> HttpResponse:
    row = _raw(request, raw_id)
    done = intake.reprocess(row.pk)
    messages.info(
        request,
        _("Message %(id)s read again: %(state)s.")
        % {"id": done.pk, "state": done.get_state_display()},
    )
    return HttpResponseRedirect(reverse("desk:mailboxes"))
