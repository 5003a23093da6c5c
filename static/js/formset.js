// Inline formsets edited in the page: add, remove and reorder rows without a
// page per row. Generic: any Django formset made with can_order=True and
// can_delete=True (see powers/formsets.py) works with this markup:
//
//   <div data-formset data-formset-prefix="steps">
//     {{ formset.management_form }}
//     <div data-formset-list>
//       <div data-formset-form> … one row per form … </div>
//     </div>
//     <template data-formset-template> … the same row for formset.empty_form … </template>
//     <button type="button" data-formset-add>添加</button>
//     <div data-formset-status class="visually-hidden" aria-live="polite"></div>
//   </div>
//
// Inside a row (every part optional):
//   [data-formset-order]     the hidden ORDER input, renumbered 1…n on every change
//   [data-formset-delete]    the DELETE checkbox: the row is struck through (or,
//                            for a row added on this page, hidden)
//   [data-formset-number]    shows the row's current number
//   [data-formset-handle]    drag handle (SortableJS, static/vendor/sortable)
//   [data-formset-move="up"|"down"]  keyboard-accessible move buttons
//
// Rows added on the page get data-formset-new. Events: "formset:added"
// (detail: {row}) and "formset:changed" bubble from the container.
(function () {
  "use strict";

  function rows(container) {
    const list = container.querySelector("[data-formset-list]");
    return Array.from(list.children).filter((el) => el.hasAttribute("data-formset-form"));
  }

  function isDeleted(row) {
    const box = row.querySelector("[data-formset-delete]");
    return Boolean(box && box.checked);
  }

  function announce(container, text) {
    const status = container.querySelector("[data-formset-status]");
    if (status) {
      status.textContent = "";
      window.setTimeout(() => { status.textContent = text; }, 30);
    }
  }

  function renumber(container) {
    const live = rows(container).filter((row) => !isDeleted(row));
    rows(container).forEach((row) => {
      const order = row.querySelector("[data-formset-order]");
      const number = row.querySelector("[data-formset-number]");
      const position = live.indexOf(row) + 1;
      if (order) order.value = position ? String(position) : "";
      if (number) number.textContent = position ? String(position) : "—";
      row.classList.toggle("formset-deleted", isDeleted(row));
      const up = row.querySelector('[data-formset-move="up"]');
      const down = row.querySelector('[data-formset-move="down"]');
      if (up) up.disabled = !position || position === 1;
      if (down) down.disabled = !position || position === live.length;
    });
    const empty = container.querySelector("[data-formset-empty]");
    if (empty) empty.hidden = live.length > 0;
    container.dispatchEvent(new CustomEvent("formset:changed", { bubbles: true }));
  }

  function addRow(container) {
    const prefix = container.dataset.formsetPrefix;
    const total = container.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const template = container.querySelector("template[data-formset-template]");
    const max = container.querySelector(`input[name="${prefix}-MAX_NUM_FORMS"]`);
    const index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) {
      announce(container, container.dataset.formsetFullText || "已达到最大数量");
      return null;
    }
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    const row = holder.querySelector("[data-formset-form]");
    row.setAttribute("data-formset-new", "");
    container.querySelector("[data-formset-list]").appendChild(row);
    total.value = String(index + 1);
    renumber(container);
    const first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
    if (first) first.focus();
    announce(container, (container.dataset.formsetAddedText || "已添加第 {n} 行").replace("{n}", String(rows(container).filter((r) => !isDeleted(r)).length)));
    container.dispatchEvent(new CustomEvent("formset:added", { bubbles: true, detail: { row } }));
    return row;
  }

  function move(container, row, direction) {
    const live = rows(container).filter((r) => !isDeleted(r));
    const at = live.indexOf(row);
    const target = live[direction === "up" ? at - 1 : at + 1];
    if (!target) return;
    if (direction === "up") {
      target.before(row);
    } else {
      target.after(row);
    }
    renumber(container);
    const button = row.querySelector(`[data-formset-move="${direction}"]`);
    if (button && !button.disabled) {
      button.focus();
    } else {
      const other = row.querySelector(`[data-formset-move="${direction === "up" ? "down" : "up"}"]`);
      if (other) other.focus();
    }
    const position = rows(container).filter((r) => !isDeleted(r)).indexOf(row) + 1;
    announce(container, (container.dataset.formsetMovedText || "已移到第 {n} 位").replace("{n}", String(position)));
  }

  function init(container) {
    if (container.dataset.formsetReady) return;
    container.dataset.formsetReady = "1";
    container.addEventListener("click", (event) => {
      const add = event.target.closest("[data-formset-add]");
      if (add && container.contains(add)) {
        event.preventDefault();
        addRow(container);
        return;
      }
      const mover = event.target.closest("[data-formset-move]");
      if (mover && container.contains(mover)) {
        event.preventDefault();
        const row = mover.closest("[data-formset-form]");
        if (row) move(container, row, mover.dataset.formsetMove);
      }
    });
    container.addEventListener("change", (event) => {
      const box = event.target.closest("[data-formset-delete]");
      if (!box) return;
      const row = box.closest("[data-formset-form]");
      if (row && row.hasAttribute("data-formset-new") && box.checked) {
        row.hidden = true;
      }
      renumber(container);
      announce(container, box.checked ? (container.dataset.formsetDeletedText || "已标记删除，保存后生效") : (container.dataset.formsetRestoredText || "已取消删除"));
    });
    const list = container.querySelector("[data-formset-list]");
    if (window.Sortable && list) {
      window.Sortable.create(list, {
        handle: "[data-formset-handle]",
        draggable: "[data-formset-form]",
        animation: 150,
        ghostClass: "sortable-ghost",
        onEnd: () => renumber(container),
      });
    }
    renumber(container);
  }

  function initAll(root) {
    (root || document).querySelectorAll("[data-formset]").forEach(init);
  }

  window.LianfangFormset = { init, initAll, renumber, addRow };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => initAll(document));
  } else {
    initAll(document);
  }
  document.addEventListener("htmx:load", (event) => initAll(event.target));
})();
