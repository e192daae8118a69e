"""The webhooks setup pages, included in the desk's URLconf (namespace "desk")."""

from django.urls import path

from kliento.desk.webhooks import views

urlpatterns = [
    path("setup/webhooks/", views.webhooks, name="webhooks"),
    path("setup/webhooks/<int:endpoint_id>/", views.webhook, name="webhook"),
    path("setup/webhooks/<int:endpoint_id>/delete/", views.delete_webhook, name="webhook_delete"),
    path(
        "setup/webhooks/deliveries/<int:delivery_id>/send-again/",
        views.send_again,
        name="webhook_send_again",
    ),
]
