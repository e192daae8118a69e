"""Daily rollups the dashboards read instead of the raw rows (decision record: rollups).

One row per day and combination of dimensions, holding counts and sums only, so any period,
any slice and any trend bucket is a SUM over rows, and a metric computed from them equals the
metric computed from the raw rows. The worker keeps them current (kliento.metrics.rollups):
days touched by new or changed rows are marked dirty and recomputed whole, so a rerun changes
nothing and late-arriving rows land in their own day. Ids are plain integers, not foreign keys:
a rollup row outlives nothing and must not cascade or lock other apps' rows.
"""

from __future__ import annotations

from django.db import models

from kliento.core.money import DECIMAL_PLACES, MAX_DIGITS

SURVEYS = "surveys"
PURCHASES = "purchases"
CASES = "cases"
SOURCES = (SURVEYS, PURCHASES, CASES)


class SurveyDay(models.Model):
    """Scored client answers of a day: a histogram of scores per survey, team, employee,
    channel, touchpoint, stage, client segment and pilot flag."""

    day = models.DateField()
    kind = models.CharField(max_length=10)
    scale = models.CharField(max_length=10, blank=True)
    direction = models.CharField(max_length=10, blank=True)
    score = models.SmallIntegerField()
    survey_id = models.BigIntegerField()
    team_id = models.BigIntegerField(null=True)
    agent_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=20, blank=True)
    touchpoint_id = models.BigIntegerField(null=True)
    stage_id = models.BigIntegerField(null=True)
    segment_id = models.BigIntegerField(null=True)
    pilot = models.BooleanField(null=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "day"], name="surveyday_kind_day"),
            # The employee scorecard reads one agent's rows; the rebuild deletes whole days.
            models.Index(fields=["agent_id", "kind", "day"], name="surveyday_agent_kind_day"),
            models.Index(fields=["day"], name="surveyday_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.score}: {self.n}"


class SurveyTeamDay(models.Model):
    """The same histogram kept only per day, survey, team and score: the company, department
    and team figures (and the per-team table) read these far fewer rows. Written from the
    SurveyDay rows of the day in the same rebuild, so the two always sum to the same counts."""

    day = models.DateField()
    kind = models.CharField(max_length=10)
    scale = models.CharField(max_length=10, blank=True)
    direction = models.CharField(max_length=10, blank=True)
    score = models.SmallIntegerField()
    survey_id = models.BigIntegerField()
    team_id = models.BigIntegerField(null=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "day"], name="surveyteamday_kind_day"),
            models.Index(fields=["day"], name="surveyteamday_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.score}: {self.n}"


class CaseDay(models.Model):
    """Cases of a day per team, employee, channel, stage, touchpoint and client segment."""

    day = models.DateField(db_index=True)
    team_id = models.BigIntegerField(null=True)
    agent_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=20, blank=True)
    stage_id = models.BigIntegerField(null=True)
    touchpoint_id = models.BigIntegerField(null=True)
    segment_id = models.BigIntegerField(null=True)
    opened = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)
    response_seconds = models.FloatField(default=0)
    resolved = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["agent_id", "day"], name="caseday_agent_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.opened}/{self.resolved}"


class CaseTeamDay(models.Model):
    """The same case figures kept only per day and team: the company, department and team
    figures (and the per-team table) read these few rows. Written from the CaseDay rows of the
    day in the same rebuild, so the two always sum to the same figures."""

    day = models.DateField(db_index=True)
    team_id = models.BigIntegerField(null=True)
    opened = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)
    response_seconds = models.FloatField(default=0)
    resolved = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day} {self.team_id}: {self.opened}/{self.resolved}"


class PurchaseDay(models.Model):
    """Purchases of a day per currency, sales channel and client segment."""

    day = models.DateField(db_index=True)
    currency = models.CharField(max_length=3)
    channel = models.CharField(max_length=10)
    segment_id = models.BigIntegerField(null=True)
    n = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=MAX_DIGITS + 6, decimal_places=DECIMAL_PLACES)
    amount_sq = models.FloatField()

    def __str__(self) -> str:
        return f"{self.day} {self.currency}: {self.n}"


class DirtyDay(models.Model):
    """A day of a source whose rollup rows must be recomputed; claimed by one worker with
    SELECT … FOR UPDATE SKIP LOCKED and deleted in the transaction that rewrites the day."""

    source = models.CharField(max_length=10)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "day"], name="dirtyday_source_day")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.day}"


class RollupWatermark(models.Model):
    """Up to when a source's changes have been turned into dirty days."""

    source = models.CharField(max_length=10, primary_key=True)
    seen_until = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.source}: {self.seen_until}"


class DigestSent(models.Model):
    """One weekly digest to one person: the unique row makes a second run send nothing."""

    user_id = models.BigIntegerField()
    week = models.DateField()  # the Monday of the week the digest covers
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user_id", "week"], name="digest_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week}"
