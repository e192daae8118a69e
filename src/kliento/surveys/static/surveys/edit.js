// Adds a question slot to the survey form (the formset's empty form), up to five; the server
// refuses a sixth whatever the page sends.
(function () {
  function setUp() {
    const button = document.getElementById("add-question");
    const template = document.getElementById("question-template");
    const total = document.getElementById("id_q-TOTAL_FORMS");
    const target = document.getElementById("more-questions");
    if (!button || !template || !total || !target) return;
    const max = parseInt(button.dataset.max, 10);
    function refresh() { button.hidden = parseInt(total.value, 10) >= max; }
    button.addEventListener("click", function () {
      const index = parseInt(total.value, 10);
      if (index >= max) return;
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      target.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      refresh();
    });
    refresh();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
