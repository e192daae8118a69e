from django.urls import path

from kliento.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_new, name="new"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/mapping/", views.import_mapping, name="mapping"),
    path("<int:pk>/retry/", views.import_retry, name="retry"),
    path("<int:pk>/errors.csv", views.import_report, name="report"),
    path("export/<str:target>/", views.export, name="export"),
]
