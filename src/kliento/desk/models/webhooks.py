"""Outbound webhooks (endpoints and the deliveries queued for them) and the map from a
connector's conversation thread to the case it feeds."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kliento.core.channels import Channel


class WebhookEvent(models.TextChoices):
    CASE_CREATED = "case.created", _("A case was opened")
    CASE_UPDATED = "case.updated", _("A case changed")
    CASE_RESOLVED = "case.resolved", _("A case was resolved")
    MESSAGE_ADDED = "message.added", _("A message was added to a case")


class WebhookEndpoint(models.Model):
    """A URL that receives the desk's events, signed with its own secret (Standard Webhooks)."""

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # "whsec_" + base64 of the key; shown to managers so the receiver can verify signatures.
    secret = models.CharField(_("signing secret"), max_length=100)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    # Off by default: a private, loopback or link-local target is refused (SSRF), unless a
    # manager says the receiver really lives inside the network.
    allow_private = models.BooleanField(_("allow private addresses"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: written in the transaction of the change (so a rolled-back
    change sends nothing), then claimed and sent by a task, retried with backoff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The Standard Webhooks message id (webhook-id): the same on every attempt, so the
    # receiver can drop a repeat.
    event_id = models.CharField(max_length=64, unique=True)
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"))
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    last_response = models.CharField(_("response"), max_length=500, blank=True)
    last_error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=Q(status__in=["pending", "sending"]),
            ),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_endpoint"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}"


class ConnectorThread(models.Model):
    """A conversation of a chat, messenger or social connector and the case it feeds.

    The unique (channel, thread) row is what makes two messages of one new thread, arriving
    at once, open ONE case: the second insert waits for the first and then reads its case."""

    channel = models.CharField(max_length=20, choices=Channel.choices)
    external_thread_id = models.CharField(max_length=255)
    case = models.ForeignKey("desk.Case", null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_thread_id"], name="connector_thread_unique"
            )
        ]
        indexes = [models.Index(fields=["case"], name="connector_thread_case")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_thread_id}"
