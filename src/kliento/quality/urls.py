from django.urls import path

from kliento.quality.views import checklists, evaluations, overview, programme, public

app_name = "quality"
urlpatterns = [
    path("", overview.compliance, name="compliance"),
    path("exemplary/", overview.exemplary, name="exemplary"),
    path("checklists/", checklists.checklists, name="checklists"),
    path("checklists/build/", checklists.build, name="build"),
    path("checklists/<int:checklist_id>/", checklists.checklist, name="checklist"),
    path("checklists/<int:checklist_id>/items/", checklists.add_item, name="add_item"),
    path("checklists/<int:checklist_id>/items/<int:item_id>/", checklists.item, name="item"),
    path("checklists/<int:checklist_id>/publish/", checklists.publish, name="publish"),
    path("checklists/<int:checklist_id>/revise/", checklists.revise, name="revise"),
    path("evaluations/", evaluations.evaluations, name="evaluations"),
    path("evaluations/new/", evaluations.start, name="start"),
    path("evaluations/<int:evaluation_id>/", evaluations.evaluation, name="evaluation"),
    path(
        "evaluations/<int:evaluation_id>/exemplary/", evaluations.exemplary, name="mark_exemplary"
    ),
    path("evidence/<int:evidence_id>/", evaluations.evidence, name="evidence"),
    path("results/<int:result_id>/action/", evaluations.open_action, name="open_action"),
    path("actions/", programme.actions, name="actions"),
    path("actions/<int:action_id>/close/", programme.close_action, name="close_action"),
    path("plans/", programme.plans, name="plans"),
    path("plans/<int:plan_id>/perform/", programme.perform_plan, name="perform_plan"),
    path("shops/", programme.assignments, name="assignments"),
    path("shops/<int:assignment_id>/", programme.assignment, name="assignment"),
    path("shops/<int:assignment_id>/link/", programme.reissue_link, name="reissue_link"),
    path("shop/<str:token>/", public.shop, name="shop"),
]
