// The admin's editing pages: a warning before leaving a page with unsaved changes.
// A static file (the Content Security Policy allows no inline script).
(function () {
  "use strict";
  const form = document.querySelector("#content-main form[method=post][id$='_form']");
  if (!form) {
    return;
  }
  let unsaved = false;
  const mark = () => {
    unsaved = true;
  };
  form.addEventListener("input", mark);
  form.addEventListener("change", mark);
  form.addEventListener("submit", () => {
    unsaved = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
