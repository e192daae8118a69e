from django.urls import include, path

app_name = "desk"
urlpatterns: list = [
    path("setup/sla/", include("kliento.desk.sla.urls")),
]
