from django.urls import path

from kliento.metrics import (
    baseline_views,
    clv_views,
    cohort_views,
    dashboard_views,
    desk_views,
    metric_views,
    self_assessment_views,
    survey_views,
    views,
)

app_name = "metrics"

urlpatterns = [
    # Under /clients/, where the analysis has always been (bookmarks keep working).
    path("clients/key/", views.key_clients, name="key_clients"),
    path("metrics/clients/", views.client_metrics, name="client_metrics"),
    path("metrics/clv/", clv_views.clv_page, name="clv"),
    path("metrics/surveys/", survey_views.survey_metrics_page, name="survey_metrics"),
    path("metrics/desk/", desk_views.desk_metrics_page, name="desk_metrics"),
    path("metrics/dashboard/", dashboard_views.company, name="dashboard"),
    path("metrics/dashboard/unit/<int:unit_id>/", dashboard_views.unit, name="dashboard_unit"),
    path(
        "metrics/dashboard/employee/<int:user_id>/",
        dashboard_views.employee,
        name="dashboard_employee",
    ),
    path("metrics/dashboard/stage/<int:stage_id>/", dashboard_views.stage, name="dashboard_stage"),
    path(
        "metrics/dashboard/touchpoint/<int:touchpoint_id>/",
        dashboard_views.touchpoint,
        name="dashboard_touchpoint",
    ),
    path("metrics/scorecard/", dashboard_views.my_scorecard, name="my_scorecard"),
    path("metrics/metric/<str:metric_key>/", metric_views.metric_page, name="metric"),
    path("metrics/baselines/", baseline_views.baseline_list, name="baselines"),
    path("metrics/baselines/new/", baseline_views.baseline_create, name="baseline_create"),
    path(
        "metrics/baselines/<int:metric_baseline_id>/",
        baseline_views.baseline_detail,
        name="baseline",
    ),
    path("metrics/cohorts/", cohort_views.cohorts_page, name="cohorts"),
    path(
        "metrics/self-assessment/",
        self_assessment_views.rounds_page,
        name="self_assessment_rounds",
    ),
    path(
        "metrics/self-assessment/<int:pk>/",
        self_assessment_views.round_page,
        name="self_assessment",
    ),
    path(
        "metrics/cohorts/ltv.csv",
        cohort_views.cohorts_csv,
        {"measure": "ltv"},
        name="cohorts_ltv_csv",
    ),
    path(
        "metrics/cohorts/retention.csv",
        cohort_views.cohorts_csv,
        {"measure": "retention"},
        name="cohorts_retention_csv",
    ),
]
