// Copy buttons for the citations of a meeting page. Without this script each citation is still
// there to read and select in its <details>; with it, a button copies the citation in one click.
(function () {
  "use strict";

  var status = document.getElementById("copy-status");

  function announce(message) {
    if (!status) return;
    status.textContent = "";
    // A fresh text node, so that screen readers announce the same message twice in a row.
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(text, element) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      selectText(element);
      try {
        if (document.execCommand("copy")) { resolve(); } else { reject(new Error("copy refused")); }
      } catch (error) {
        reject(error);
      }
    });
  }

  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) return;
    var label = button.innerHTML;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(source.textContent.trim(), source).then(
        function () {
          button.textContent = button.getAttribute("data-copied-label");
          button.classList.add("is-done");
          announce(button.getAttribute("data-copied-label"));
          window.setTimeout(function () {
            button.innerHTML = label;
            button.classList.remove("is-done");
          }, 2500);
        },
        function () {
          selectText(source);
          announce(button.getAttribute("data-failed-label"));
        }
      );
    });
  });
})();
