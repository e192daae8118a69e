from django.db import migrations, models
from django.db.models import Sum


def fill_case_team_days(apps, schema_editor):
    """Existing case rollups, summed per day and team (what a rebuild writes)."""
    CaseDay = apps.get_model("metrics", "CaseDay")
    CaseTeamDay = apps.get_model("metrics", "CaseTeamDay")
    rows = (
        CaseDay.objects.values("day", "team_id")
        .annotate(
            o=Sum("opened"), r=Sum("responded"), s=Sum("response_seconds"), d=Sum("resolved")
        )
        .order_by()
    )
    CaseTeamDay.objects.bulk_create(
        (
            CaseTeamDay(
                day=r["day"],
                team_id=r["team_id"],
                opened=r["o"] or 0,
                responded=r["r"] or 0,
                response_seconds=r["s"] or 0.0,
                resolved=r["d"] or 0,
            )
            for r in rows
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0006_rollup_per_team_and_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseTeamDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(db_index=True)),
                ("team_id", models.BigIntegerField(null=True)),
                ("opened", models.PositiveIntegerField(default=0)),
                ("responded", models.PositiveIntegerField(default=0)),
                ("response_seconds", models.FloatField(default=0)),
                ("resolved", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(fill_case_team_days, migrations.RunPython.noop),
    ]
