from django.urls import include, path

from kliento.desk.mail.urls import urlpatterns as mail_urlpatterns

app_name = "desk"
urlpatterns: list = [
    path("setup/sla/", include("kliento.desk.sla.urls")),
    *mail_urlpatterns,
]
