// The card's "Log activity" form: shows direction and duration only for the kinds that have
// them, and the follow-up task's fields only when one is asked for. Works after htmx swaps.
(function () {
  function sync(form) {
    const kind = form.querySelector("[name=kind]");
    const followUp = form.querySelector("[name=follow_up]");
    form.querySelectorAll("[data-for-kinds]").forEach((el) => {
      el.hidden = kind && !el.dataset.forKinds.split(" ").includes(kind.value);
    });
    form.querySelectorAll("[data-follow-up]").forEach((el) => {
      el.hidden = followUp && !followUp.checked;
    });
  }
  function syncAll(root) {
    root.querySelectorAll("#log-activity-form").forEach(sync);
  }
  document.addEventListener("change", (event) => {
    const form = event.target.closest && event.target.closest("#log-activity-form");
    if (form) sync(form);
  });
  document.addEventListener("htmx:load", (event) => syncAll(event.target.parentElement || document));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => syncAll(document));
  } else {
    syncAll(document);
  }
})();
