"""The e-mail channel's records: every message as it arrived (stored before it is read), the
IMAP mailboxes the desk polls, and the mail the desk sent (acknowledgements and replies)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Mailbox(models.Model):
    """An IMAP mailbox the desk reads; new cases from it go to its team."""

    name = models.CharField(_("name"), max_length=100)
    # The address clients write to; mail for it that arrives through the SMTP endpoint goes to
    # this mailbox's team as well.
    address = models.EmailField(_("address"), blank=True)
    host = models.CharField(_("IMAP server"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=993)
    use_ssl = models.BooleanField(_("SSL/TLS"), default=True)
    username = models.CharField(_("user name"), max_length=255)
    # Kept as given: the IMAP login needs it back. The setup page never shows it again.
    password = models.CharField(_("password"), max_length=255, blank=True)
    folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    team = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)
    # Where reading resumes: the folder's UIDVALIDITY and the highest UID already stored.
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # Consecutive failures: a broken mailbox is tried again later and later, not every minute.
    failures = models.PositiveIntegerField(default=0)
    next_check_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class InboundMail(models.Model):
    """One delivered message, byte for byte, before anything reads it: a crash while reading
    loses nothing, and a message can be read again (`reprocess`)."""

    class Source(models.TextChoices):
        SMTP = "smtp", _("SMTP endpoint")
        IMAP = "imap", _("IMAP mailbox")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        PROCESSED = "processed", _("Processed")
        FAILED = "failed", _("Failed")
        REJECTED = "rejected", _("Rejected")
        DUPLICATE = "duplicate", _("Duplicate")

    raw = models.BinaryField(_("raw message"))
    size = models.PositiveBigIntegerField(_("size"), default=0)
    received_at = models.DateTimeField(_("received"), db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    envelope_from = models.CharField(max_length=254, blank=True)
    envelope_to = models.CharField(max_length=1000, blank=True)
    # The Message-ID header as read (empty when it had none); filled in when processed.
    msgid = models.CharField(_("Message-ID"), max_length=255, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        "desk.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(
        "desk.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("inbound e-mail")
        verbose_name_plural = _("inbound e-mails")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "id"], name="inbound_mail_state"),
            models.Index(fields=["msgid"], name="inbound_mail_msgid", condition=~Q(msgid="")),
        ]
        constraints = [
            # Two deliveries of one message read at once: the second one's write conflicts
            # here, its transaction (and the case it was opening) rolls back, it is a duplicate.
            models.UniqueConstraint(
                fields=["msgid"],
                name="inbound_mail_processed_once",
                condition=Q(state="processed") & ~Q(msgid=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.state} {self.msgid}"


class OutboundMail(models.Model):
    """A message the desk sent, or is sending: its row is the claim that makes a retried task
    send it once, and its Message-ID threads the client's answer and finds a bounce's address."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        ACKNOWLEDGEMENT = "ack", _("Acknowledgement")

    class State(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    case = models.ForeignKey("desk.Case", on_delete=models.CASCADE, related_name="+")
    message = models.OneToOneField(
        "desk.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    msgid = models.CharField(max_length=255, unique=True)
    recipient = models.CharField(max_length=254, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENDING)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], name="outbound_mail_one_ack", condition=Q(kind="ack")
            )
        ]

    def __str__(self) -> str:
        return self.msgid
