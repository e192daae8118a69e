// The top bar's search: Ctrl+K / Cmd+K or "/" focus it; the live results (fetched by htmx
// into #search-results) open under it; arrows walk the results, Escape closes them.
(() => {
  const input = document.getElementById("site-search");
  if (!input) return;
  const form = input.form;
  const results = document.getElementById("search-results");
  if (/Mac|iPhone|iPad/.test(navigator.platform)) {
    input.placeholder = input.placeholder.replace("Ctrl+K", "⌘K");
  }
  const typing = (el) =>
    el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  const links = () => Array.from(results.querySelectorAll("a"));
  const close = () => { results.hidden = true; };
  const open = () => { results.hidden = !results.querySelector("a, p"); };
  const focusBox = (event) => { event.preventDefault(); input.focus(); input.select(); };

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
      focusBox(event);
    } else if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey
               && !typing(event.target)) {
      focusBox(event);
    }
  });
  form.addEventListener("keydown", (event) => {
    const items = links();
    const at = items.indexOf(document.activeElement);
    if (event.key === "Escape" && !results.hidden) {
      event.preventDefault(); // a search box would also clear its text
      close();
      input.focus();
    } else if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      open();
      items[Math.min(at + 1, items.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : items[at - 1]).focus();
    }
  });
  form.addEventListener("focusout", (event) => {
    if (!form.contains(event.relatedTarget)) close();
  });
  input.addEventListener("focus", (event) => {
    // Back from a result (Escape, ArrowUp) keeps the list as it is; from elsewhere it reopens.
    if (!form.contains(event.relatedTarget)) open();
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target === results) {
      if (document.activeElement === input) open(); else close();
    }
  });
})();
