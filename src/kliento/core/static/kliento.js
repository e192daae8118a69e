// Small behaviours the templates ask for with data attributes, so no page needs inline script
// (the Content-Security-Policy allows scripts from Kliento's own static files only).
// Delegated from the document: they also work in fragments htmx swaps in.
(function () {
  "use strict";

  // <select data-autosubmit>: choosing an option sends its form (the language switcher).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
  });

  // <input type="checkbox" data-select-all="ids">: ticks or unticks every checkbox of its form
  // with that name (the client list's "select all on this page").
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box instanceof HTMLInputElement && box.hasAttribute("data-select-all") && box.form) {
      var name = box.getAttribute("data-select-all");
      box.form.querySelectorAll('input[type="checkbox"]').forEach(function (other) {
        if (other.name === name) { other.checked = box.checked; }
      });
    }
  });

  // <form data-confirm="Question?">: asks before sending (removing a purchase).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    }
  });

  // <input data-select-on-focus>: selects its text for copying (a new API token).
  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-focus")) {
      field.select();
    }
  });
})();
