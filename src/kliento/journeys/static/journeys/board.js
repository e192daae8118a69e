// The journey board: drag a card onto another stage's column to move the client. The drop
// submits the board's move form for that client and stage, so the server applies the same
// rules as for the card's "next stage" button (which stays for phones and keyboards).
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
    const form = document.getElementById("journey-drop-form");
    const stage = target.dataset.dropStage;
    if (!form || target.contains(dragged)) return;
    form.action = dragged.dataset.moveUrl;
    form.querySelector("[name=c-to_stage]").value = stage;
    form.requestSubmit();
  });
})();
