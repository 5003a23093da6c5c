// Small behaviours shared by every page. No framework: Bootstrap and htmx do the rest.
(function () {
  "use strict";
  // Ask before destructive or irreversible actions: <button data-confirm="…">.
  document.addEventListener("submit", function (event) {
    const button = event.submitter;
    const message = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Keep htmx requests carrying the CSRF token even after a partial swap.
  document.body.addEventListener("htmx:configRequest", function (event) {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token && !event.detail.headers["X-CSRFToken"]) {
      event.detail.headers["X-CSRFToken"] = token.value;
    }
  });
})();
