from django.urls import path

from kliento.motivation import views

app_name = "motivation"
urlpatterns = [
    path("motivation/", views.home, name="home"),
    path("motivation/statements/generate/", views.generate, name="generate"),
    path("motivation/statements/export/", views.export, name="export"),
    path("motivation/statements/<int:statement_id>/", views.statement, name="statement"),
    path("motivation/statements/<int:statement_id>/adjust/", views.adjust, name="adjust"),
    path("motivation/statements/<int:statement_id>/<slug:action>/", views.act, name="act"),
    path("recognition/", views.recognition_page, name="recognition"),
    path("recognition/thank/", views.thank, name="thank"),
    path("recognition/react/", views.react, name="react"),
]
