"""The manager's views: who has read what (with reminders), what needs attention."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.policy import selectors, services
from kliento.policy.models import PolicyVersion
from kliento.policy.views.common import (
    ACKS,
    MANAGE,
    UNPUBLISHED,
    VIEW,
    Status,
)


@require(VIEW, ACKS)
def acknowledgements(request: AuthenticatedHttpRequest) -> HttpResponse:
    raw = request.GET.get("unit", "")
    unit_id = int(raw) if raw.isdigit() and len(raw) < 12 else None
    context = {
        "shares": selectors.acknowledgement_shares(),
        "people": selectors.people_unread(unit_id),
        "unit_id": unit_id,
        "manager": request.user.has_perm(MANAGE),
    }
    return render(request, "policy/acknowledgements.html", context)


@require_POST
@require(VIEW, MANAGE)
def remind(request: AuthenticatedHttpRequest, policy_version_id: int) -> HttpResponse:
    version = get_object_or_404(PolicyVersion, pk=policy_version_id, status=Status.PUBLISHED)
    services.request_reminders(version=version)
    messages.success(request, _("Reminders are on their way to those who have not read it."))
    return HttpResponseRedirect(reverse("policy:acknowledgements"))


@require(VIEW, UNPUBLISHED)
def attention(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Overdue reviews and escalation lists that broke after they were saved."""
    context = {
        "overdue": selectors.overdue_reviews(),
        "broken": selectors.invalid_escalation_lists(),
    }
    return render(request, "policy/attention.html", context)
