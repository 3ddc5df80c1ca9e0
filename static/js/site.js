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

// On a phone the sections of the main navigation scroll sideways; the one the reader is in is scrolled into
// view, so that on a goal's page "Priority goals" is not the cut-off "Prior…" under the fade at the edge.
// Only the list scrolls, never the page (a link to #p6-15 keeps its place).
(function () {
  "use strict";
  var current = document.querySelector(".main-nav a[aria-current]");
  if (!current) return;
  var list = current.closest("ul");
  var item = current.getBoundingClientRect();
  var box = list.getBoundingClientRect();
  var fade = 28; // the width of the fade that says there is more (site.css, .main-nav::after)
  if (item.right > box.right - fade) list.scrollLeft += item.right - box.right + fade;
})();
