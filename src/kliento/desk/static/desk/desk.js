// The service desk workspace's small behaviours, without inline script (the CSP allows
// scripts from Kliento's own static files only). Delegated from the document, so they also
// work in fragments htmx swaps in.
(function () {
  "use strict";

  // The reply box tells the presence poll whether a reply is being written (a draft in it),
  // so others see "… is writing a reply".
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box instanceof HTMLTextAreaElement && box.hasAttribute("data-composing")) {
      var flag = document.getElementById(box.getAttribute("data-composing"));
      if (flag) { flag.value = box.value.trim() ? "1" : ""; }
    }
  });

  // The bulk bar shows the one value field its action needs (assignee, status, priority, tag).
  function showBulkField(select) {
    var bar = select.closest(".bulk-bar");
    if (!bar) { return; }
    bar.querySelectorAll("[data-bulk-for]").forEach(function (field) {
      var shown = field.getAttribute("data-bulk-for") === select.value;
      field.classList.toggle("bulk-shown", shown);
      field.disabled = !shown;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target instanceof HTMLSelectElement && event.target.id === "bulk-action") {
      showBulkField(event.target);
    }
  });
  function init() {
    var select = document.getElementById("bulk-action");
    if (select) { showBulkField(select); }
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
