from django.urls import path

from kliento.motivation import views, views_schemes

app_name = "motivation"
urlpatterns = [
    path("motivation/", views.home, name="home"),
    path("motivation/statements/generate/", views.generate, name="generate"),
    path("motivation/statements/export/", views.export, name="export"),
    path("motivation/statements/<int:statement_id>/", views.statement, name="statement"),
    path("motivation/statements/<int:statement_id>/adjust/", views.adjust, name="adjust"),
    path("motivation/statements/<int:statement_id>/<slug:action>/", views.act, name="act"),
    path("motivation/schemes/", views_schemes.scheme_list, name="schemes"),
    path("motivation/schemes/new/", views_schemes.scheme_new, name="scheme_new"),
    path("motivation/schemes/<int:scheme_id>/", views_schemes.scheme_edit, name="scheme"),
    path("motivation/schemes/<int:scheme_id>/kpis/new/", views_schemes.kpi_form, name="kpi_new"),
    path("motivation/kpis/<int:kpi_id>/", views_schemes.kpi_form, name="kpi"),
    path("motivation/kpis/<int:kpi_id>/remove/", views_schemes.kpi_remove, name="kpi_remove"),
    path("motivation/schemes/<int:scheme_id>/rules/new/", views_schemes.rule_form, name="rule_new"),
    path("motivation/rules/<int:bonus_rule_id>/", views_schemes.rule_form, name="rule"),
    path(
        "motivation/rules/<int:bonus_rule_id>/remove/",
        views_schemes.rule_remove,
        name="rule_remove",
    ),
    path("recognition/", views.recognition_page, name="recognition"),
    path("recognition/thank/", views.thank, name="thank"),
    path("recognition/react/", views.react, name="react"),
]
