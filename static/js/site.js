// Panels that fold on a phone (filters, a meeting's contents): open on a wide screen, where there is
// room beside the text. Without this script they still open and close as any <details> does.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 56rem)");
  var panels = document.querySelectorAll("details[data-open-wide]");
  function fit() {
    panels.forEach(function (panel) {
      if (wide.matches) {
        panel.open = true;
      } else if (!panel.hasAttribute("data-keep-open")) {
        panel.open = false;
      }
    });
  }
  fit();
  wide.addEventListener("change", fit);
})();
