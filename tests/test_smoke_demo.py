from __future__ import annotations

import pytest
from django.core.management import call_command

from kliento.clients.models import Client, Purchase, TimelineEntry
from kliento.core.models import OrgUnit


@pytest.mark.django_db
def test_demo_loads_once_and_reuses_existing_data(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True, clients=40)
    counts = (Client.objects.count(), Purchase.objects.count(), TimelineEntry.objects.count())
    assert counts[0] == 48  # 40 people + 8 companies
    assert counts[1] > 0
    assert (tmp_path / "demo-admin.txt").exists()

    call_command("demo", no_serve=True, clients=40)

    assert (Client.objects.count(), Purchase.objects.count(), TimelineEntry.objects.count()) == (
        counts
    )
    assert OrgUnit.objects.filter(parent=None).count() == 1
