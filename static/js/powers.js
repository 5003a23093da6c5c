// Power pages: the print button, and the "不公开" reason shown only when needed.
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  function syncReason(form) {
    const chosen = form.querySelector('input[name="publicity"]:checked');
    const reason = form.querySelector("#unpublished-reason");
    if (!reason) return;
    const needed = Boolean(chosen && chosen.value === "unpublished");
    const hasError = reason.querySelector(".is-invalid");
    reason.hidden = !needed && !hasError;
    const input = reason.querySelector("input, textarea");
    if (input) input.required = needed;
  }

  document.querySelectorAll("form[data-power-form]").forEach((form) => {
    syncReason(form);
    form.addEventListener("change", (event) => {
      if (event.target.name === "publicity") syncReason(form);
    });
  });
})();
