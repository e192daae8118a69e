"""`kliento report METRIC --from D --to D [--survey ID] [--slice KIND:ID] [--by day|week|month|
quarter] [--format table|csv|json]`: one metric
for scripts (client metrics such as churn and ltv; survey metrics nps, csat, ces, enps;
service desk metrics such as first_response_time, backlog, reopen_rate).

The numbers come from the metric registry, as on the metrics page and in the API. With `--by`
the range is cut into calendar buckets (kliento.metrics.trends) and one row (JSON: one point)
is printed per bucket; without it the JSON is the single period's object as before."""

from __future__ import annotations

import csv
import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kliento.metrics import registry, slicing, survey_metrics, trends
from kliento.metrics.slices import Slice


def _day(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {raw!r}") from None


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


class Command(BaseCommand):
    help = "Print one metric over a period, with its inputs."

    def _baseline(self, key: str, options: dict[str, Any]) -> registry.Period | None:
        start, end = options["baseline_start"], options["baseline_end"]
        if start is None and end is None:
            return None
        if start is None or end is None:
            raise CommandError("Give both --baseline-from and --baseline-to")
        if registry.metric(key).group != registry.SURVEYS:
            raise CommandError("Only survey metrics are compared with a baseline")
        try:
            return registry.Period(_day(start), _day(end))
        except ValueError as exc:
            raise CommandError(str(exc)) from None

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("metric", help="e.g. churn, lifetime, ltv, revenue, active, nps, csat")
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument(
            "--baseline-from",
            dest="baseline_start",
            default=None,
            help="survey metrics only: compare with this baseline period (first day)",
        )
        parser.add_argument("--baseline-to", dest="baseline_end", default=None)
        parser.add_argument(
            "--survey",
            type=int,
            default=None,
            help="survey metrics only: count the answers to this survey (id) alone",
        )
        parser.add_argument(
            "--slice",
            default=None,
            help="part of the company, kind:id (team:12, employee:5, segment:3, channel:email, "
            "pilot:2, nonpilot:2 …); default: the company",
        )
        parser.add_argument(
            "--by",
            choices=list(trends.GRANULARITIES),
            default=None,
            help="print a series: one row per calendar day, week (from Monday), month or quarter",
        )
        parser.add_argument(
            "--inactive-days",
            type=int,
            default=None,
            help="count a client as lost after N days without a purchase (0: when marked as "
            "left); default: the company's setting KLIENTO_CHURN_INACTIVE_DAYS",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["metric"]
        try:
            registry.metric(key)
        except KeyError:
            known = ", ".join(d.key for d in registry.metrics())
            raise CommandError(f"Unknown metric {key!r}; known: {known}") from None
        try:
            period = registry.Period(_day(options["start"]), _day(options["end"]))
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        days = options["inactive_days"]
        if days is not None and days < 0:
            raise CommandError("--inactive-days must be 0 or more")
        rule = registry.ChurnRule(days or None) if days is not None else None
        baseline = self._baseline(key, options)
        try:
            where = slicing.clean_slice(options["slice"], metric_key=key)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if options["by"] is not None:
            if baseline is not None:
                raise CommandError("--by and a baseline cannot be combined")
            self._series(key, period, options["by"], rule, where, options)
            return
        try:
            computed = registry.compute(key, period, rule, survey_id=options["survey"], slice=where)
            result = computed.as_dict()
            if baseline is not None:
                before = registry.compute(
                    key, baseline, rule, survey_id=options["survey"], slice=where
                )
                result["baseline"] = before.as_dict()
                result["comparison"] = survey_metrics.comparison(key, before, computed)
        except ValueError as exc:  # a survey of another kind, or a metric not by survey
            raise CommandError(str(exc)) from None
        fmt = options["format"]
        if fmt != "json" and baseline is not None:
            raise CommandError("A comparison with a baseline is printed as --format json")
        if fmt == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        elif fmt == "csv":
            flat = {k: v for k, v in result.items() if k != "inputs"}
            flat.update({f"input_{k}": v for k, v in result["inputs"].items()})
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(flat.keys())
            writer.writerow([_cell(v) for v in flat.values()])
        else:
            rows = [(k, v) for k, v in result.items() if k != "inputs"]
            rows += [(f"  {k}", v) for k, v in result["inputs"].items()]
            width = max(len(k) for k, _v in rows)
            for name, value in rows:
                self.stdout.write(f"{name.ljust(width)}  {_cell(value)}")

    def _series(
        self,
        key: str,
        period: registry.Period,
        by: str,
        rule: registry.ChurnRule | None,
        where: Slice,
        options: dict[str, Any],
    ) -> None:
        try:
            points = trends.trend(
                key,
                period.start,
                period.end,
                by,
                rule=rule,
                slice=where,
                survey_id=options["survey"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        fmt = options["format"]
        if fmt == "json":
            series = trends.series_dict(key, period.start, period.end, by, points)
            self.stdout.write(json.dumps(series, ensure_ascii=False))
            return
        rows = [p.as_dict() for p in points]
        if fmt == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            inputs = list(rows[0]["inputs"]) if rows else []
            head = [k for k in rows[0] if k != "inputs"] if rows else []
            writer.writerow(head + [f"input_{k}" for k in inputs])
            for row in rows:
                writer.writerow(
                    [_cell(row.get(k)) for k in head]
                    + [_cell(row["inputs"].get(k)) for k in inputs]
                )
            return
        for row in rows:
            mark = " *" if row["partial"] else ""
            self.stdout.write(f"{row['from']}  {row['to']}  {_cell(row['value'])}{mark}")
        if any(row["partial"] for row in rows):
            self.stdout.write("* cut by the range: fewer days than a whole " + by)
