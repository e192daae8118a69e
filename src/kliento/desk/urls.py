from kliento.desk.mail.urls import urlpatterns as mail_urlpatterns

app_name = "desk"
urlpatterns: list = [*mail_urlpatterns]
