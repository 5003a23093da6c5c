// Campaign pages: add rows to a formset, keep drag-sorted order numbers,
// preview colours, copy the calendar link. No inline scripts in templates.
(function () {
  "use strict";

  // <button data-add-form="PREFIX" data-target="#tbody"> with a
  // <template id="PREFIX-empty"> holding the formset's empty form.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-add-form]");
    if (!button) return;
    event.preventDefault();
    const prefix = button.dataset.addForm;
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    const template = document.getElementById(prefix + "-empty");
    const target = document.querySelector(button.dataset.target);
    if (!total || !template || !target) return;
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    target.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const added = target.lastElementChild;
    const order = added && added.querySelector(".order-input");
    if (order) order.value = String(target.querySelectorAll("tr").length);
    const first = added && added.querySelector("input[type=text], input:not([type=hidden])");
    if (first) first.focus();
  });

  // Dim a row whose "delete" box is ticked.
  document.addEventListener("change", function (event) {
    const box = event.target;
    if (box.matches && box.matches("input[type=checkbox][name$='-DELETE']")) {
      const row = box.closest("tr");
      if (row) row.classList.toggle("to-delete", box.checked);
    }
    if (box.matches && box.matches(".colour-input")) {
      const swatch = document.querySelector("[data-swatch-for='" + box.id + "']");
      if (swatch && /^#[0-9a-fA-F]{6}$/.test(box.value)) swatch.style.background = box.value;
    }
  });

  // Warn at once about an attachment over the size limit (the server checks again).
  document.addEventListener("change", function (event) {
    const input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    const limit = parseInt(input.dataset.maxBytes, 10);
    const file = input.files && input.files[0];
    input.setCustomValidity("");
    if (file && limit && file.size > limit) {
      input.setCustomValidity("文件过大，单个附件不能超过 " + Math.round(limit / 1048576) + " MB。");
      input.reportValidity();
    }
  });

  // Drag to reorder (SortableJS): rewrite the order inputs top to bottom.
  if (window.Sortable) {
    document.querySelectorAll("[data-sortable]").forEach(function (body) {
      window.Sortable.create(body, {
        handle: ".drag-handle",
        animation: 150,
        onSort: function () {
          body.querySelectorAll(".order-input").forEach(function (input, i) {
            input.value = String(i + 1);
          });
        },
      });
    });
  }

  // Copy a link: <button data-copy="#input">.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const input = document.querySelector(button.dataset.copy);
    if (!input) return;
    input.select();
    const done = function () {
      button.classList.add("btn-success");
      setTimeout(function () { button.classList.remove("btn-success"); }, 1200);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done);
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
