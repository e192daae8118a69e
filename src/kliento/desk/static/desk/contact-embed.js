// Adds Kliento's contact form where this script stands:
// <script src="https://kliento.example/static/desk/contact-embed.js"
//         data-kliento-contact="https://kliento.example/desk/contact/" defer></script>
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var url = script.getAttribute("data-kliento-contact");
  if (!url) { return; }
  var frame = document.createElement("iframe");
  var lang = document.documentElement.lang;
  frame.src = url + "?embed=1" + (lang ? "&lang=" + encodeURIComponent(lang) : "");
  frame.title = script.getAttribute("data-title") || "Contact";
  frame.loading = "lazy";
  frame.style.width = "100%";
  frame.style.minHeight = "640px";
  frame.style.border = "0";
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
