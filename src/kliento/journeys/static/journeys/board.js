// The journey board: drag a card onto another stage's column to move the client. The drop
// fills the card's own "Move to" form and submits it, so the server applies the same rules as
// for the button (the select and button stay for phones and keyboards).
(function () {
  let dragged = null;
  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest(".journey-card[draggable=true]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.clientId);
  });
  document.addEventListener("dragend", () => {
    dragged = null;
    document.querySelectorAll(".journey-drop-target").forEach((el) => el.classList.remove("journey-drop-target"));
  });
  function column(event) {
    return event.target.closest && event.target.closest("[data-drop-stage]");
  }
  document.addEventListener("dragover", (event) => {
    const target = column(event);
    if (!dragged || !target) return;
    event.preventDefault();
    target.classList.add("journey-drop-target");
  });
  document.addEventListener("dragleave", (event) => {
    const target = column(event);
    if (target) target.classList.remove("journey-drop-target");
  });
  document.addEventListener("drop", (event) => {
    const target = column(event);
    if (!dragged || !target) return;
    event.preventDefault();
    const form = dragged.querySelector("form.journey-move");
    const select = form && form.querySelector("select");
    const stage = target.dataset.dropStage;
    if (!select || !select.querySelector(`option[value="${stage}"]`)) return;
    select.value = stage;
    form.requestSubmit();
  });
})();
