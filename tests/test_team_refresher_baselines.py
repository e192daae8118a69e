"""A refresher training records baselines of the metric layer by itself: "before" when it is
assigned (its start) and "during" when it is marked done (its end), each once; the proposal's
page compares the "before" figures with the days since, for training managers only."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from kliento.core import roles
from kliento.metrics import services as metric_services
from kliento.metrics.models import MetricBaseline
from kliento.team import signals
from kliento.team.models import TrainingProposal
from kliento.team.services import refresher, refresher_baselines
from tests.factories import UserFactory
from tests.team_support import csat

pytestmark = pytest.mark.django_db


@pytest.fixture
def olena(db):
    return UserFactory(username="olena", role=roles.AGENT)


@pytest.fixture
def proposal(manager, olena):
    """A proposal for Olena, raised by her CSAT in the 30 days before today."""
    refresher.save_rule(
        actor=manager, signal=signals.CSAT, threshold=60.0, drop=15.0, period_days=30, min_n=5
    )
    today = timezone.localdate()
    csat(olena, today - dt.timedelta(days=10), [5, 2, 2, 1, 1, 1])
    refresher.run_refresher(today=today)
    return TrainingProposal.objects.get()


def _assign(manager, proposal, capture):
    with capture(execute=True):
        refresher.decide(actor=manager, proposal=proposal, status="assigned")
    proposal.refresh_from_db()


def test_assigning_the_training_saves_the_before_baseline_once(
    manager, olena, proposal, django_capture_on_commit_callbacks
):
    _assign(manager, proposal, django_capture_on_commit_callbacks)
    today = timezone.localdate()
    assert proposal.assigned_on == today
    before = MetricBaseline.objects.get(source=f"team.refresher:{proposal.pk}:start")
    assert (before.period_start, before.period_end) == (
        today - dt.timedelta(days=30),
        today - dt.timedelta(days=1),
    )
    figure = before.figures.get(metric="csat")
    assert figure.slice == f"employee:{olena.pk}"
    assert figure.inputs["n"] == 6 and figure.inputs["satisfied"] == 1
    # Starting twice (a retried hook, a second worker) saves nothing twice.
    again = refresher_baselines.record_baseline(proposal.pk, refresher_baselines.START)
    assert again.pk == before.pk
    assert MetricBaseline.objects.filter(source__startswith="team.refresher:").count() == 1


def test_marking_it_done_saves_the_during_baseline_once(
    manager, olena, proposal, django_capture_on_commit_callbacks
):
    _assign(manager, proposal, django_capture_on_commit_callbacks)
    today = timezone.localdate()
    csat(olena, today, [5, 5, 5, 4, 4])
    with django_capture_on_commit_callbacks(execute=True):
        refresher.mark_trained(actor=manager, proposal=proposal, trained_on=today)
    during = MetricBaseline.objects.get(source=f"team.refresher:{proposal.pk}:end")
    assert (during.period_start, during.period_end) == (today, today)
    figure = during.figures.get(metric="csat", slice=f"employee:{olena.pk}")
    assert figure.inputs["n"] == 5 and figure.value == 100.0
    refresher_baselines.record_baseline(proposal.pk, refresher_baselines.END)
    assert MetricBaseline.objects.filter(source__startswith="team.refresher:").count() == 2


def test_a_team_proposal_measures_the_team_slice(manager, proposal):
    from kliento.core.models import OrgUnit

    team = OrgUnit.objects.create(name="Support")
    TrainingProposal.objects.filter(pk=proposal.pk).update(
        employee=None, team=team, subject=f"team:{team.pk}"
    )
    saved = refresher_baselines.record_baseline(proposal.pk, refresher_baselines.START)
    assert {f.slice for f in saved.figures.all()} == {f"team:{team.pk}"}


def test_a_failed_baseline_is_logged_and_the_assignment_stands(
    manager, proposal, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(**kwargs):
        raise RuntimeError("metrics are down")

    monkeypatch.setattr(metric_services, "save_baseline", broken)
    with caplog.at_level(logging.ERROR):
        _assign(manager, proposal, django_capture_on_commit_callbacks)
    assert proposal.status == TrainingProposal.Status.ASSIGNED
    assert not MetricBaseline.objects.exists()
    assert "Refresher baseline start" in caplog.text


def test_the_page_compares_the_before_baseline_with_the_days_since(
    manager, olena, proposal, client, django_capture_on_commit_callbacks
):
    _assign(manager, proposal, django_capture_on_commit_callbacks)
    today = timezone.localdate()
    csat(olena, today, [5] * 10)
    with django_capture_on_commit_callbacks(execute=True):
        refresher.mark_trained(actor=manager, proposal=proposal, trained_on=today)
    client.force_login(manager)
    page = client.get(f"/team/refreshers/{proposal.pk}/").content.decode()
    assert 'id="training-baselines"' in page and 'id="baseline-comparison"' in page
    before = MetricBaseline.objects.get(source=f"team.refresher:{proposal.pk}:start")
    assert f"/metrics/baselines/{before.pk}/" in page
    from kliento.team import selectors

    shown = selectors.training_baselines(proposal, viewer=manager)
    (row,) = [r for r in shown.rows if r["metric"] == "csat"]
    assert row["baseline"]["value"] == pytest.approx(100 / 6, abs=0.1)
    assert row["later"]["value"] == 100.0 and row["during"] == 100.0
    assert row["test"]["significant"]


def test_only_training_managers_see_it_and_survey_figures_need_their_permission(
    manager, olena, proposal, client, django_capture_on_commit_callbacks
):
    _assign(manager, proposal, django_capture_on_commit_callbacks)
    client.force_login(olena)
    assert client.get(f"/team/refreshers/{proposal.pk}/").status_code == 403
    trainer = UserFactory(username="trainer")
    trainer.user_permissions.add(
        Permission.objects.get(codename="manage_training", content_type__app_label="team")
    )
    client.force_login(trainer)
    page = client.get(f"/team/refreshers/{proposal.pk}/")
    assert page.status_code == 200
    from kliento.team import selectors

    shown = selectors.training_baselines(proposal, viewer=trainer)
    assert shown is not None and "csat" not in {r["metric"] for r in shown.rows}
    # No metrics permission: the baselines are named, not linked.
    assert "/metrics/baselines/" not in page.content.decode()
