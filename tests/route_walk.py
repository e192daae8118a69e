"""Walking the project's real URL patterns, and real objects for the parameters they take.

Shared by the route permission tests of the UI and of the JSON API. Nothing here names a
route: the walk reads the resolver, and URL parameters are filled by their name (`pk` by the
namespace it is in), so a page that moves to another app is still found and still checked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from kliento.clients.models import ChannelConsent, SavedView
from kliento.clients.services import remove_contact
from kliento.core import roles
from kliento.core.models import Notification
from kliento.core.tokens import issue_token
from kliento.imports.models import ImportJob
from tests.factories import (
    ClientFactory,
    ContactFactory,
    PortraitFactFactory,
    PurchaseFactory,
    UserFactory,
)

User = get_user_model()

ANONYMOUS = "anonymous"
NO_ROLE = "no_role"
# Every role, a logged-in user without one, and nobody.
PERSONAS: list[str] = [*roles.ROLE_LABELS, NO_ROLE, ANONYMOUS]

_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """One URL pattern as served: its full route, namespace and view."""

    route: str  # e.g. "clients/<int:pk>/facts/<int:fact_id>/verify/"
    namespace: str  # "clients", "" outside any namespace, "a:b" when nested
    name: str | None
    callback: Callable[..., Any]
    converters: dict[str, Any] = field(default_factory=dict)

    @property
    def parameters(self) -> list[str]:
        return [m["name"] for m in _PARAMETER.finditer(self.route)]

    def url(self, values: dict[str, Any]) -> str:
        def fill(match: re.Match[str]) -> str:
            value = values[match["name"]]
            converter = self.converters.get(match["name"])
            return str(converter.to_url(value) if converter else value)

        return "/" + _PARAMETER.sub(fill, self.route)

    def __str__(self) -> str:
        return f"/{self.route}"


def walk(
    descend: Callable[[URLResolver], bool],
    resolver: URLResolver | None = None,
    prefix: str = "",
    namespace: str = "",
    converters: dict[str, Any] | None = None,
) -> Iterator[Route]:
    """Every URL pattern under `resolver` (the root URLconf by default), through includes
    that `descend` accepts."""
    resolver = resolver or get_resolver()
    converters = converters or {}
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and not descend(entry):
            continue
        assert isinstance(entry.pattern, RoutePattern), (
            f"{prefix}{entry.pattern}: a regex pattern; the walk fills only path() routes"
        )
        route = prefix + str(entry.pattern)
        known = converters | entry.pattern.converters
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
            yield from walk(descend, entry, route, inner, known)
        else:
            assert isinstance(entry, URLPattern)
            yield Route(route, namespace, entry.name, entry.callback, known)


class Objects:
    """Real objects for one request's URL parameters, made on first use and owned by `user`
    where ownership matters (an API token is only ever revoked by its owner)."""

    def __init__(self, user: Any | None) -> None:
        self.user = user

    @cached_property
    def owner(self) -> Any:
        return self.user or UserFactory(username="walk-owner")

    @cached_property
    def client(self) -> Model:
        return ClientFactory(name="Walk Client")

    @cached_property
    def org_unit(self) -> Model:
        from kliento.core.models import OrgUnit, StaffProfile

        unit = OrgUnit.objects.create(name="Walk team", kind=OrgUnit.Kind.TEAM)
        # The walker's own team: one may open one's own team's dashboard.
        StaffProfile.objects.update_or_create(user=self.owner, defaults={"unit": unit})
        return unit

    @cached_property
    def situation(self) -> Model:
        from kliento.mentions.models import Situation

        # get_or_create: the walk builds its objects once per persona in the same database.
        return Situation.objects.get_or_create(
            name="Walk situation", defaults={"owner": self.owner}
        )[0]

    @cached_property
    def mention(self) -> Model:
        from django.utils import timezone

        from kliento.mentions.models import Mention

        return Mention.objects.create(
            source="walk", origin="api", text="Walk mention", sentiment="neutral",
            received_at=timezone.now(), situation=self.situation, owner=self.owner,
        )  # fmt: skip

    @cached_property
    def mention_feed(self) -> Model:
        from kliento.mentions.models import Feed

        return Feed.objects.get_or_create(
            url="http://127.0.0.1:1/walk.atom",
            defaults={"name": "Walk feed", "source": "walk", "allow_private": True},
        )[0]

    @cached_property
    def motivation_statement(self) -> Model:
        """A draft statement of the walker's own (one sees one's own statements)."""
        import datetime as dt

        from kliento.motivation.models import Statement

        return Statement.objects.create(
            employee=self.owner,
            scheme_name="Walk scheme",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 1, 31),
            base_bonus=100,
            currency="EUR",
        )

    @cached_property
    def motivation_scheme(self) -> Model:
        from kliento.motivation.models import Scheme

        return Scheme.objects.get_or_create(
            name="Walk scheme",
            defaults={"role": "agent", "period": "month", "base_bonus": 100, "currency": "EUR"},
        )[0]

    @cached_property
    def motivation_kpi(self) -> Model:
        from kliento.motivation.models import Kpi

        return Kpi.objects.get_or_create(
            scheme=self.motivation_scheme,
            source="compliance",
            defaults={"target": 95, "threshold": 80},
        )[0]

    @cached_property
    def motivation_rule(self) -> Model:
        from kliento.motivation.models import Rule

        return Rule.objects.get_or_create(
            scheme=self.motivation_scheme,
            name="Walk penalty",
            defaults={"kind": "per_breach", "amount": -10},
        )[0]

    @cached_property
    def mailbox(self) -> Model:
        """A desk mailbox whose server refuses at once (port 1): the test button answers fast."""
        from kliento.desk.models import Mailbox

        return Mailbox.objects.create(name="Walk box", host="127.0.0.1", port=1, username="u")

    @cached_property
    def inbound_mail(self) -> Model:
        from django.utils import timezone

        from kliento.desk.models import InboundMail

        return InboundMail.objects.create(
            raw=b"From: walk@example.com\r\nSubject: Walk\r\n\r\nHello\r\n",
            received_at=timezone.now(),
            source=InboundMail.Source.SMTP,
            state=InboundMail.State.FAILED,
        )

    @cached_property
    def contact(self) -> Model:
        return ContactFactory(client=self.client)

    @cached_property
    def fact(self) -> Model:
        return PortraitFactFactory(client=self.client, recorded_by=self.owner)

    @cached_property
    def removal(self) -> Model:
        """A contact's removal, minutes ago: what the card's "Undo" puts back."""
        contact = ContactFactory(client=self.client)
        entry = remove_contact(actor=self.owner, contact=contact)
        assert entry is not None
        return entry

    @cached_property
    def purchase(self) -> Model:
        return PurchaseFactory(client=self.client)

    @cached_property
    def task(self) -> Model:
        """A task given to the user: completing another's needs more than the permission."""
        from kliento.activities.models import Task

        return Task.objects.create(
            client=self.client, title="Walk task", due_on=dt.date(2026, 1, 1), assignee=self.owner
        )

    @cached_property
    def touchpoint(self) -> Model:
        """A touchpoint the user owns: its owner edits the regulation and parameters."""
        from kliento.touchpoints.models import Touchpoint

        return Touchpoint.objects.create(
            name=f"Walk touchpoint {self.owner.pk}",
            kind="business",
            category="website",
            owner=self.owner,
        )

    @cached_property
    def quality_parameter(self) -> Model:
        from kliento.touchpoints.models import QualityParameter

        return QualityParameter.objects.create(
            touchpoint=self.touchpoint, name="Answer time", measurement="CRM", target="2 h"
        )

    @cached_property
    def process(self) -> Model:
        from tests.processes_helpers import make_definition

        return make_definition(name=f"Walk process {self.owner.pk}")

    @cached_property
    def process_step(self) -> Model:
        """The open first step of a run for the walk's client, of the user's own role (another
        role's step needs more than the permission) and with an attachment to hand out."""
        from tests.processes_helpers import walk_step

        return walk_step(client=self.client, user=self.owner)

    @cached_property
    def import_job(self) -> Model:
        """A finished import with an error report, so every import page has something to
        show (one still to be mapped would need a readable upload)."""
        job = ImportJob(
            target="clients",
            original_name="walk.csv",
            status=ImportJob.Status.FAILED,
            created_by=self.owner,
        )
        job.file.save("walk.csv", ContentFile(b"name\nA\n"), save=False)
        job.error_report.save("walk-errors.csv", ContentFile(b"Row,Column,Value,Error\n"))
        return job

    @cached_property
    def notification(self) -> Model:
        """One of the user's own notifications: another's would be a 404 by design."""
        return Notification.objects.create(recipient=self.owner, kind="api_token.issued")

    @cached_property
    def saved_view(self) -> Model:
        """One of the user's own saved views: another's personal one would be a 404."""
        return SavedView.objects.create(owner=self.owner, name="Walk view", query="sort=-revenue")

    @cached_property
    def survey(self) -> Model:
        """A public NPS survey, so its short link opens for anyone."""
        from kliento.surveys.services import definitions

        return definitions.create_survey(
            actor=self.owner,
            spec=definitions.SurveySpec(
                name="Walk survey",
                kind="nps",
                public=True,
                questions=[definitions.QuestionSpec(kind="scale", texts={"en": "Recommend?"})],
            ),
        )

    @cached_property
    def survey_trigger(self) -> Model:
        from kliento.surveys.services import definitions

        return definitions.set_trigger(
            actor=self.owner, survey=self.survey, source="schedule", every_months=12
        )

    @cached_property
    def follow_up(self) -> Model:
        """A follow-up the user owns: another's is a 404 unless they handle every one."""
        from kliento.surveys.models import FollowUp, Response

        response = Response.objects.create(
            survey=self.survey, client=self.client, channel="email", score=2
        )
        return FollowUp.objects.create(
            response=response, owner=self.owner, reason="survey", due_at=dt.datetime.now(dt.UTC)
        )

    @cached_property
    def impression(self) -> Model:
        """A positive impression with words at the user's own touchpoint: they may share it."""
        from kliento.touchpoints.models import Impression

        return Impression.objects.create(
            touchpoint=self.touchpoint, client=self.client, sentiment="positive", text="Lovely"
        )

    @cached_property
    def praised_answer(self) -> Model:
        """A positive answer with a comment about the user's work: they may share it."""
        from kliento.surveys.models import Response

        return Response.objects.create(
            survey=self.survey,
            client=self.client,
            channel="email",
            score=10,
            comment="Wonderful",
            agent=self.owner,
        )

    @cached_property
    def journey(self) -> Model:
        """A journey of two stages, the first owned by the user (a stage owner acts on it)."""
        from kliento.journeys import services as journeys

        owner = self.owner
        return journeys.create_journey(
            actor=None,
            name=f"Walk journey {getattr(self.user, 'pk', 'anonymous')}",
            stages=[
                journeys.StageSpec(name="First", owner=owner),
                journeys.StageSpec(name="Second", owner=owner),
            ],
        )

    @cached_property
    def stage(self) -> Model:
        return self.journey.stages.order_by("position").first()

    @cached_property
    def move_rule(self) -> Model:
        from kliento.journeys import services as journeys

        second = self.journey.stages.order_by("position").last()
        return journeys.save_rule(
            actor=None,
            journey=self.journey,
            name="Walk rule",
            condition="purchases",
            threshold=1,
            from_stages=[self.stage],
            to_stage=second,
        )

    @cached_property
    def metric_baseline(self) -> Model:
        from kliento.metrics import services as metrics
        from kliento.metrics.registry import Period

        return metrics.save_baseline(
            actor=None,
            name="Walk metric baseline",
            metric_keys=["active"],
            slices=["company"],
            period=Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31)),
        )

    @cached_property
    def baseline(self) -> Model:
        from kliento.journeys import services as journeys

        return journeys.take_baseline(actor=None, journey=self.journey, name="Walk baseline")

    @cached_property
    def standard(self) -> Model:
        """A published standard that applies to every role (so it can be acknowledged)."""
        from kliento.standards import services as standards

        standard = standards.create_standard(
            actor=self.owner,
            kind="general",
            title=f"Walk standard {self.owner.pk}",
            body="Walk text.",
            owner=self.owner,
            review_on=dt.date(2030, 1, 1),
        )
        version = standard.versions.get()
        standards.submit_for_review(actor=self.owner, version=version)
        standards.publish(actor=self.owner, version=version)
        return standard

    @cached_property
    def standard_version(self) -> Model:
        return self.standard.versions.get()  # type: ignore[attr-defined]

    @cached_property
    def revision_request(self) -> Model:
        from kliento.standards import services as standards

        return standards.raise_revision_request(
            actor=self.owner, standard_id=self.standard.pk, reason="Walk reason"
        )

    @cached_property
    def mission_proposal(self) -> Model:
        from kliento.standards import services as standards

        draft = standards.start_mission_draft(actor=self.owner)
        return standards.contribute(
            actor=self.owner, mission=draft, kind="proposal", text="Walk proposal"
        )

    @cached_property
    def policy(self) -> Model:
        """A published policy for every role, with a draft (v2) that has a planned pilot."""
        from tests.policy_support import published_policy

        return published_policy(self.owner, title=f"Walk policy {self.owner.pk}")

    @cached_property
    def policy_version(self) -> Model:
        return self.policy.versions.get(status="published")  # type: ignore[attr-defined]

    @cached_property
    def policy_draft(self) -> Model:
        from kliento.policy import services as policy

        return policy.start_revision(actor=self.owner, policy=self.policy)

    @cached_property
    def policy_goal(self) -> Model:
        """Of the published version, which every role may read (writes answer 422 on it)."""
        return self.policy_version.goals.get()  # type: ignore[attr-defined]

    @cached_property
    def policy_procedure(self) -> Model:
        return self.policy_goal.procedures.get()  # type: ignore[attr-defined]

    @cached_property
    def policy_pilot(self) -> Model:
        from kliento.policy import services as policy

        return policy.create_pilot(
            actor=self.owner,
            version=self.policy_draft,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 2, 1),
            staff_ids=[UserFactory(username=f"walk-pilot-{self.owner.pk}", role=roles.AGENT).pk],
        )

    @cached_property
    def business_calendar(self) -> Model:
        """A calendar no policy uses (so it can be deleted)."""
        from kliento.desk.models import BusinessCalendar

        return BusinessCalendar.objects.create(name=f"Walk calendar {self.owner.pk}")

    @cached_property
    def sla_policy(self) -> Model:
        from kliento.desk.models import SlaPolicy

        return SlaPolicy.objects.create(name="Walk SLA", first_response_minutes=60)

    @cached_property
    def desk_case(self) -> Model:
        """A case of no team: every role that sees cases sees it."""
        from tests.desk_support import new_case

        return new_case(client=self.client)

    @cached_property
    def desk_attachment(self) -> Model:
        from kliento.desk import services

        message = services.add_message(
            actor=None,
            case=self.desk_case,
            draft=services.MessageDraft(
                direction="in",
                body_text="See attached",
                attachments=[services.AttachmentDraft(filename="walk.txt", content=b"walk")],
            ),
        )
        return message.attachments.get()  # type: ignore[attr-defined]

    @cached_property
    def desk_macro(self) -> Model:
        from kliento.desk.models import Macro

        return Macro.objects.create(name=f"Walk macro {self.owner.pk}", priority="high")

    @cached_property
    def desk_view(self) -> Model:
        """One of the user's own saved queue views: another's would be a 404."""
        from kliento.desk.models import SavedCaseView

        return SavedCaseView.objects.create(owner=self.owner, name="Walk", query="queue=all")

    @cached_property
    def webhook_endpoint(self) -> Model:
        """Made directly: its URL is never resolved or called in the walk."""
        from kliento.desk.models import WebhookEndpoint

        return WebhookEndpoint.objects.create(
            url="http://127.0.0.1:9/walk",
            secret="whsec_d2Fsaw==",
            events=["case.created"],
            allow_private=True,
        )

    @cached_property
    def webhook_delivery(self) -> Model:
        from django.utils import timezone

        from kliento.desk.models import WebhookDelivery

        return WebhookDelivery.objects.create(
            endpoint=self.webhook_endpoint,
            event_id=f"msg_walk{self.owner.pk}",
            event="case.created",
            status=WebhookDelivery.Status.FAILED,
            created_at=timezone.now(),
        )

    @cached_property
    def self_assessment_round(self) -> Model:
        """A round on a client survey whose question is tagged with an area."""
        from kliento.metrics import self_assessment
        from kliento.surveys.services import definitions

        survey = definitions.create_survey(
            actor=self.owner,
            spec=definitions.SurveySpec(
                name="Walk areas",
                kind="csat",
                questions=[
                    definitions.QuestionSpec(kind="scale", texts={"en": "Speed?"}, area="speed")
                ],
            ),
        )
        today = dt.date.today()
        return self_assessment.open_round(
            actor=self.owner, name="Walk round", survey_id=survey.pk, start=today, end=today
        )

    @cached_property
    def quality_checklist(self) -> Model:
        """A published employee checklist citing the walk standard: one critical item, one
        item that may be not applicable."""
        from kliento.quality import services as quality

        checklist = quality.create_checklist(
            actor=self.owner,
            name=f"Walk checklist {self.owner.pk}",
            area_kind="employee",
            owner=self.owner,
        )
        draft = checklist.versions.get()  # type: ignore[attr-defined]
        quality.add_item(
            actor=self.owner, version=draft, text="Greets", standard_id=self.standard.pk
        )
        quality.add_item(actor=self.owner, version=draft, text="Tidy", allows_na=True)
        quality.publish_version(actor=self.owner, version=draft)
        return checklist

    @cached_property
    def quality_version(self) -> Any:
        return self.quality_checklist.versions.get(status="published")  # type: ignore[attr-defined]

    @cached_property
    def quality_evaluation(self) -> Model:
        """A completed audit of the walker's own work, one item failed, with evidence."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from kliento.quality import services as quality

        evaluation = quality.start_evaluation(
            actor=self.owner, version=self.quality_version, kind="audit", employee_id=self.owner.pk
        )
        first, second = self.quality_version.items.all()
        results = quality.record_results(
            actor=self.owner,
            evaluation=evaluation,
            answers=[quality.Answer(first.pk, "fail"), quality.Answer(second.pk, "pass")],
        )
        quality.add_evidence(
            actor=self.owner,
            result=results[0],
            upload=SimpleUploadedFile("walk.jpg", b"walk", content_type="image/jpeg"),
        )
        return quality.complete_evaluation(actor=self.owner, evaluation=evaluation)

    @cached_property
    def quality_result(self) -> Model:
        return self.quality_evaluation.results.get(outcome="fail")  # type: ignore[attr-defined]

    @cached_property
    def quality_evidence(self) -> Model:
        return self.quality_result.evidence.get()  # type: ignore[attr-defined]

    @cached_property
    def quality_action(self) -> Model:
        from kliento.quality.services import programme

        return programme.open_corrective_action(
            actor=self.owner,
            result=self.quality_result,
            description="Walk action",
            owner=self.owner,
            due_on=dt.date.today() + dt.timedelta(days=7),
        )

    @cached_property
    def quality_plan(self) -> Model:
        from kliento.quality.services import programme

        return programme.save_plan(
            actor=self.owner,
            checklist=self.quality_checklist,  # type: ignore[arg-type]
            next_due=dt.date.today(),
            employee_id=self.owner.pk,
        )

    @cached_property
    def quality_assignment(self) -> Model:
        from kliento.quality.services import programme

        return programme.assign_shop(
            actor=self.owner,
            checklist=self.quality_checklist,  # type: ignore[arg-type]
            channel="call",
            scenario="Walk scenario",
            employee_id=self.owner.pk,
            shopper=self.owner,
        )

    @cached_property
    def qa_reviewer(self) -> Any:
        return UserFactory(username="walk-qa-reviewer", role=roles.AUDITOR)

    @cached_property
    def qa_version(self) -> Model:
        from tests.quality_reviews_support import case_checklist

        return case_checklist(self.qa_reviewer, name=f"Walk case check {self.owner.pk}")[1]

    @cached_property
    def qa_review(self) -> Model:
        """A completed review of the owner's case, by another reviewer."""
        from kliento.desk.models import Case
        from kliento.quality.services import Answer, reviews
        from tests.desk_support import new_case

        case = new_case(client=self.client)
        Case.objects.filter(pk=case.pk).update(assignee=self.owner)
        assignment = reviews.queue_case(actor=self.qa_reviewer, case_id=case.pk)
        version = self.qa_version
        reviews.start_review(actor=self.qa_reviewer, assignment=assignment, version=version)
        return reviews.submit_review(
            actor=self.qa_reviewer,
            assignment=assignment,
            answers=[Answer(i.pk, "pass") for i in version.items.all()],  # type: ignore[attr-defined]
        )

    @cached_property
    def qa_assignment(self) -> Model:
        from kliento.quality.services import reviews
        from tests.desk_support import new_case

        case = new_case(client=self.client)
        return reviews.queue_case(actor=self.qa_reviewer, case_id=case.pk)

    @cached_property
    def qa_dispute(self) -> Model:
        from kliento.quality.models import Dispute

        return Dispute.objects.create(
            evaluation=self.qa_review, raised_by=self.owner, reason="Walk"
        )

    @cached_property
    def qa_session(self) -> Model:
        from kliento.quality.services import calibration

        second = UserFactory(username="walk-qa-second", role=roles.AUDITOR)
        return calibration.create_session(
            actor=self.qa_reviewer,
            title="Walk calibration",
            case_id=self.desk_case.pk,
            version=self.qa_version,
            reviewer_ids=[self.qa_reviewer.pk, second.pk],
        )

    @cached_property
    def api_token(self) -> Model:
        token, _raw = issue_token(actor=self.owner, user=self.owner, name="walk")
        return token

    @cached_property
    def team_profile(self) -> Model:
        from kliento.team.models import IdealProfile
        from tests.team_support import profile

        return IdealProfile.objects.filter(role="agent").first() or profile(self.owner)

    @cached_property
    def team_candidate(self) -> Model:
        from kliento.team.services import hiring

        return hiring.create_candidate(actor=None, profile=self.team_profile, name="Walk Candidate")

    @cached_property
    def team_onboarding(self) -> Model:
        """An onboarding the user mentors: theirs to see and to sign off."""
        from kliento.team.services import onboarding
        from tests.team_support import plan

        return onboarding.start_onboarding(
            actor=None,
            employee=UserFactory(username=f"walk-newcomer-{self.owner.pk}"),
            mentor=self.owner,
            plan=plan(self.owner),
            started_on=dt.date(2026, 1, 5),
        )

    @cached_property
    def team_checkpoint(self) -> Model:
        return self.team_onboarding.checkpoints.first()

    @cached_property
    def team_course(self) -> Model:
        from kliento.team.services import training

        return training.save_course(
            actor=None, title=f"Walk course {self.owner.pk}", kind="product"
        )

    @cached_property
    def team_session(self) -> Model:
        from django.utils import timezone

        from kliento.team.services import training

        return training.add_session(actor=None, course=self.team_course, starts_at=timezone.now())

    @cached_property
    def team_refresher(self) -> Model:
        from kliento.team.models import RefresherRule, TrainingProposal

        rule = RefresherRule.objects.create(signal="csat", threshold=60, drop=10)
        return TrainingProposal.objects.create(
            rule=rule,
            signal="csat",
            employee=self.owner,
            subject=f"employee:{self.owner.pk}",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 1, 30),
            reason="threshold",
            value=40.0,
            n=10,
        )


# `pk` means a different model in each namespace (in the base layer's, by the path's start);
# other parameters mean the same everywhere.
PK_BY_PATH: dict[str, Callable[[Objects], Any]] = {
    "account/tokens/": lambda o: o.api_token,
    "notifications/": lambda o: o.notification,
}
PK_BY_NAMESPACE: dict[str, Callable[[Objects], Any]] = {
    "clients": lambda o: o.client,
    "imports": lambda o: o.import_job,
    "touchpoints": lambda o: o.touchpoint,
    "journeys": lambda o: o.journey,
    "processes": lambda o: o.process,
    "metrics": lambda o: o.self_assessment_round,
}
BY_NAME: dict[str, Callable[[Objects], Any]] = {
    "client_id": lambda o: o.client,
    "mailbox_id": lambda o: o.mailbox,
    "raw_id": lambda o: o.inbound_mail,
    "contact_id": lambda o: o.contact,
    "fact_id": lambda o: o.fact,
    "entry_id": lambda o: o.removal,
    "purchase_id": lambda o: o.purchase,
    "task_id": lambda o: o.task,
    "standard_id": lambda o: o.standard,
    "version_id": lambda o: o.standard_version,
    "request_id": lambda o: o.revision_request,
    "proposal_id": lambda o: o.mission_proposal,
    "touchpoint_id": lambda o: o.touchpoint,
    "parameter_id": lambda o: o.quality_parameter,
    "process_id": lambda o: o.process,
    "run_id": lambda o: o.process_step.run,
    "step_id": lambda o: o.process_step,
    "policy_id": lambda o: o.policy,
    # The published version: a draft would be a 404 for those who may not read drafts.
    "policy_version_id": lambda o: o.policy_version,
    "goal_id": lambda o: o.policy_goal,
    "procedure_id": lambda o: o.policy_procedure,
    "pilot_id": lambda o: o.policy_pilot,
    "view_id": lambda o: o.saved_view,
    "survey_id": lambda o: o.survey,
    "trigger_id": lambda o: o.survey_trigger,
    "followup_id": lambda o: o.follow_up,
    "response_id": lambda o: o.praised_answer,
    "impression_id": lambda o: o.impression,
    "code": lambda o: o.survey.code,
    "journey_id": lambda o: o.journey,
    "stage_id": lambda o: o.stage,
    "rule_id": lambda o: o.move_rule,
    "baseline_id": lambda o: o.baseline,
    "metric_baseline_id": lambda o: o.metric_baseline,
    "scheme_id": lambda o: o.motivation_scheme,
    "kpi_id": lambda o: o.motivation_kpi,
    "bonus_rule_id": lambda o: o.motivation_rule,
    "calendar_id": lambda o: o.business_calendar,
    "sla_policy_id": lambda o: o.sla_policy,
    "case_id": lambda o: o.desk_case,
    "review_assignment_id": lambda o: o.qa_assignment,
    "review_id": lambda o: o.qa_review,
    "dispute_id": lambda o: o.qa_dispute,
    "session_id": lambda o: o.qa_session,
    "attachment_id": lambda o: o.desk_attachment,
    "macro_id": lambda o: o.desk_macro,
    "desk_view_id": lambda o: o.desk_view,
    "endpoint_id": lambda o: o.webhook_endpoint,
    "delivery_id": lambda o: o.webhook_delivery,
    "profile_id": lambda o: o.team_profile,
    "candidate_id": lambda o: o.team_candidate,
    "onboarding_id": lambda o: o.team_onboarding,
    "checkpoint_id": lambda o: o.team_checkpoint,
    "onboarding_plan_id": lambda o: o.team_onboarding.plan,
    "course_id": lambda o: o.team_course,
    "training_session_id": lambda o: o.team_session,
    "refresher_id": lambda o: o.team_refresher,
    "mention_id": lambda o: o.mention,
    "situation_id": lambda o: o.situation,
    "feed_id": lambda o: o.mention_feed,
    "checklist_id": lambda o: o.quality_checklist,
    "item_id": lambda o: o.quality_version.items.first(),
    "evaluation_id": lambda o: o.quality_evaluation,
    "evidence_id": lambda o: o.quality_evidence,
    "result_id": lambda o: o.quality_result,
    "action_id": lambda o: o.quality_action,
    "plan_id": lambda o: o.quality_plan,
    "assignment_id": lambda o: o.quality_assignment,
    "statement_id": lambda o: o.motivation_statement,
    "action": lambda o: "review",
    "target": lambda o: "clients",
    "metric_key": lambda o: "churn",
    "round_id": lambda o: o.self_assessment_round,
    "unit_id": lambda o: o.org_unit,
    # One's own scorecard: the address every persona may open.
    "user_id": lambda o: o.owner,
    "channel": lambda o: ChannelConsent.Channel.EMAIL.value,
    # A password-reset link that is not valid: the page says so (public, 200).
    "uidb64": lambda o: "MQ",
    "token": lambda o: "expired-token",
}


def parameter_values(route: Route, objects: Objects) -> dict[str, Any]:
    values = {}
    for name in route.parameters:
        by_path = [f for start, f in PK_BY_PATH.items() if route.route.startswith(start)]
        if name == "pk":
            pick = by_path[0] if by_path else PK_BY_NAMESPACE.get(route.namespace)
        else:
            pick = BY_NAME.get(name)
        assert pick is not None, (
            f"{route}: no test object for <{name}> in namespace {route.namespace!r}; "
            "add one to PK_BY_PATH, PK_BY_NAMESPACE or BY_NAME in tests/route_walk.py"
        )
        value = pick(objects)
        values[name] = value.pk if isinstance(value, Model) else value
    return values


def persona_user(persona: str) -> Any | None:
    """A fresh user with the persona's role (None for anonymous)."""
    if persona == ANONYMOUS:
        return None
    role = None if persona == NO_ROLE else persona
    return UserFactory(username=f"walk-{persona}", role=role)
