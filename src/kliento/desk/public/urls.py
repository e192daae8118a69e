"""The public web form's pages, included in the desk's URLconf (namespace "desk")."""

from django.urls import path

from kliento.desk.public import views

urlpatterns = [
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.thanks, name="contact_thanks"),
]
