from django.urls import path

from kliento.standards import mission_views, views

app_name = "standards"
urlpatterns = [
    path("", views.book, name="book"),
    path("new/", views.create, name="create"),
    path("acknowledgements/", views.acknowledgements, name="acknowledgements"),
    path("versions/<int:version_id>/remind/", views.remind, name="remind"),
    path("mission/", mission_views.mission, name="mission"),
    path("mission/start/", mission_views.start, name="mission_start"),
    path("mission/edit/", mission_views.edit, name="mission_edit"),
    path("mission/contribute/", mission_views.contribute, name="mission_contribute"),
    path("mission/publish/", mission_views.publish, name="mission_publish"),
    path("mission/proposals/<int:proposal_id>/adopt/", mission_views.adopt, name="mission_adopt"),
    path("<int:standard_id>/", views.detail, name="detail"),
    path("<int:standard_id>/edit/", views.edit, name="edit"),
    path("<int:standard_id>/revise/", views.revise, name="revise"),
    path("<int:standard_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:standard_id>/revision-requests/", views.request_revision, name="request_revision"),
    path(
        "<int:standard_id>/revision-requests/<int:request_id>/resolve/",
        views.resolve_request,
        name="resolve_request",
    ),
    path("<int:standard_id>/v/<int:version_id>/", views.version_detail, name="version"),
    path("<int:standard_id>/v/<int:version_id>/edit/", views.edit_draft, name="edit_draft"),
    path(
        "<int:standard_id>/v/<int:version_id>/submit/",
        views.transition,
        {"action": "submit"},
        name="submit",
    ),
    path(
        "<int:standard_id>/v/<int:version_id>/return/",
        views.transition,
        {"action": "return"},
        name="return",
    ),
    path(
        "<int:standard_id>/v/<int:version_id>/publish/",
        views.transition,
        {"action": "publish"},
        name="publish",
    ),
]
