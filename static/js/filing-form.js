// The filing form (risks:filing_edit): risk points with their measures
// inline. Points and measures are added from <template>s (a point's
// placeholder is __prefix__, a measure's __measure__), removed with an undo,
// and reordered by drag (SortableJS) or with the up/down buttons; positions
// are renumbered 1…n before every save. The suggested grade follows the
// factors through htmx; the step list follows the chosen power; 采用 copies a
// library entry into a new point.
//
// Also the review page (risks:review): a grade below the point's baseline
// marks its reason as required (就高不就低).
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function fromHTML(html, selector) {
    const holder = document.createElement("div");
    holder.innerHTML = html;
    return holder.querySelector(selector);
  }

  function initFilingForm(form) {
    const list = form.querySelector("[data-points]");
    const total = form.querySelector('input[name="points-TOTAL_FORMS"]');
    const pointTemplate = document.getElementById("point-template");
    const measureTemplate = document.getElementById("measure-template");
    const steps = JSON.parse(document.getElementById("power-steps").textContent);
    const categories = JSON.parse(document.getElementById("category-ids").textContent);
    const announcer = form.querySelector("[data-announce]");
    const emptyState = form.querySelector("[data-points-empty]");
    const counter = form.querySelector("[data-point-count]");
    const ownerOptions = document.getElementById("owner-options");
    let dirty = false;
    let submitting = false;

    function announce(text) {
      if (!announcer) return;
      announcer.textContent = "";
      window.setTimeout(function () { announcer.textContent = text; }, 30);
    }

    function cards() {
      return Array.from(list.children).filter(function (el) { return el.hasAttribute("data-point"); });
    }

    function input(scope, name) {
      return scope.querySelector('[name="' + name + '"]');
    }

    function isDeleted(card) {
      const box = input(card, card.dataset.prefix + "-DELETE");
      return Boolean(box && box.checked);
    }

    function liveCards() {
      return cards().filter(function (card) { return !isDeleted(card); });
    }

    function renumber() {
      const live = liveCards();
      cards().forEach(function (card) {
        const deleted = isDeleted(card);
        const position = live.indexOf(card) + 1;
        card.classList.toggle("is-removed", deleted);
        const field = input(card, card.dataset.prefix + "-position");
        if (field) field.value = deleted ? "" : String(position);
        const number = card.querySelector("[data-point-number]");
        if (number) number.textContent = deleted ? "—" : String(position);
        const up = card.querySelector('[data-move="up"]');
        const down = card.querySelector('[data-move="down"]');
        if (up) up.disabled = deleted || position === 1;
        if (down) down.disabled = deleted || position === live.length;
      });
      if (counter) counter.textContent = live.length ? "（" + live.length + "）" : "";
      if (emptyState) emptyState.hidden = live.length > 0;
    }

    function renumberMeasures(card) {
      card.querySelectorAll("[data-measure-list]").forEach(function (measureList) {
        let number = 0;
        Array.from(measureList.children).forEach(function (item) {
          const prefix = item.dataset.prefix;
          const box = input(item, prefix + "-DELETE");
          const deleted = Boolean(box && box.checked);
          item.classList.toggle("is-removed", deleted);
          if (!deleted) number += 1;
          const position = input(item, prefix + "-position");
          if (position) position.value = deleted ? "" : String(number);
        });
      });
    }

    function fillSteps(card, keep) {
      const prefix = card.dataset.prefix;
      const power = input(card, prefix + "-power");
      const step = input(card, prefix + "-power_step");
      if (!power || !step) return;
      const current = keep ? step.value : "";
      const options = steps[power.value] || [];
      step.innerHTML = "";
      step.add(new Option("—", ""));
      options.forEach(function (row) {
        const value = String(row[0]);
        step.add(new Option(row[1], value, false, value === current));
      });
      step.disabled = !power.value || options.length === 0;
    }

    function updateHeading(card) {
      const title = input(card, card.dataset.prefix + "-title");
      const heading = card.querySelector("[data-point-heading]");
      if (title && heading) heading.textContent = title.value.trim() || heading.dataset.empty;
    }

    // Owner lists arrive with their chosen option only; the full list is
    // copied in from one shared <template>.
    function fillOwners(scope) {
      if (!ownerOptions) return;
      scope.querySelectorAll("select[data-lazy-options]").forEach(function (select) {
        if (select.dataset.filled) return;
        const value = select.value;
        const chosen = select.selectedOptions[0];
        const keep = chosen ? chosen.cloneNode(true) : null;
        select.innerHTML = ownerOptions.innerHTML;
        select.value = value;
        if (value && select.value !== value && keep) {
          select.appendChild(keep);
          select.value = value;
        }
        select.dataset.filled = "1";
      });
    }

    function setupMeasureLists(card) {
      if (!window.Sortable) return;
      card.querySelectorAll("[data-measure-list]").forEach(function (measureList) {
        window.Sortable.create(measureList, {
          handle: "[data-measure-drag]",
          draggable: "[data-measure]",
          animation: 150,
          onEnd: function () { renumberMeasures(card); dirty = true; },
        });
      });
    }

    function setupPoint(card) {
      fillSteps(card, true);
      fillOwners(card);
      setupMeasureLists(card);
      renumberMeasures(card);
    }

    function addPoint() {
      const index = parseInt(total.value, 10);
      const card = fromHTML(pointTemplate.innerHTML.replace(/__prefix__/g, String(index)), "[data-point]");
      list.appendChild(card);
      total.value = String(index + 1);
      setupPoint(card);
      if (window.htmx) window.htmx.process(card);
      renumber();
      dirty = true;
      return card;
    }

    function addMeasure(card, line, text) {
      const prefix = card.dataset.prefix + "-measures";
      const measureTotal = input(card, prefix + "-TOTAL_FORMS");
      const index = parseInt(measureTotal.value, 10);
      const html = measureTemplate.innerHTML
        .replace(/points-__prefix__-measures/g, prefix)
        .replace(/__measure__/g, String(index));
      const item = fromHTML(html, "[data-measure]");
      const itemPrefix = item.dataset.prefix;
      input(item, itemPrefix + "-line").value = line;
      if (text) input(item, itemPrefix + "-text").value = text;
      card.querySelector('[data-line="' + line + '"] [data-measure-list]').appendChild(item);
      fillOwners(item);
      measureTotal.value = String(index + 1);
      renumberMeasures(card);
      dirty = true;
      return item;
    }

    function setCollapsed(card, collapsed) {
      card.classList.toggle("is-collapsed", collapsed);
      const toggle = card.querySelector("[data-collapse-point]");
      if (toggle) {
        toggle.setAttribute("aria-expanded", collapsed ? "false" : "true");
        const icon = toggle.querySelector("i");
        if (icon) icon.className = collapsed ? "bi bi-chevron-down" : "bi bi-chevron-up";
      }
    }

    function move(card, direction) {
      let sibling = direction === "up" ? card.previousElementSibling : card.nextElementSibling;
      while (sibling && (!sibling.hasAttribute("data-point") || isDeleted(sibling))) {
        sibling = direction === "up" ? sibling.previousElementSibling : sibling.nextElementSibling;
      }
      if (!sibling) return;
      list.insertBefore(card, direction === "up" ? sibling : sibling.nextElementSibling);
      renumber();
      dirty = true;
      const button = card.querySelector('[data-move="' + direction + '"]');
      if (button && !button.disabled) button.focus();
      else card.querySelector('[data-move="' + (direction === "up" ? "down" : "up") + '"]').focus();
      announce("已移到第 " + (liveCards().indexOf(card) + 1) + " 位");
    }

    function adopt(data) {
      const card = addPoint();
      const prefix = card.dataset.prefix;
      input(card, prefix + "-title").value = data.title || "";
      input(card, prefix + "-content").value = data.content || "";
      const category = input(card, prefix + "-category");
      if (category && categories[data.category]) category.value = String(categories[data.category]);
      const entry = input(card, prefix + "-library_entry");
      if (entry) entry.value = String(data.id);
      updateHeading(card);
      if (data.prevention) addMeasure(card, "prevention", data.prevention);
      if (data.monitoring) addMeasure(card, "monitoring", data.monitoring);
      if (data.handling) addMeasure(card, "handling", data.handling);
      card.classList.add("is-new");
      card.scrollIntoView({ behavior: "smooth", block: "start" });
      const title = input(card, prefix + "-title");
      if (title) window.setTimeout(function () { title.focus({ preventScroll: true }); }, 300);
      announce("已采用“" + (data.title || "") + "”，请根据本岗位实际修改后保存");
    }

    // Events ---------------------------------------------------------------

    form.addEventListener("click", function (event) {
      const target = event.target.closest("button");
      if (!target || !form.contains(target)) return;
      const card = target.closest("[data-point]");
      if (target.hasAttribute("data-add-point")) {
        const added = addPoint();
        const title = input(added, added.dataset.prefix + "-title");
        added.scrollIntoView({ behavior: "smooth", block: "start" });
        if (title) window.setTimeout(function () { title.focus({ preventScroll: true }); }, 300);
        announce("已添加第 " + liveCards().length + " 个风险点");
      } else if (target.hasAttribute("data-remove-point") && card) {
        input(card, card.dataset.prefix + "-DELETE").checked = true;
        renumber();
        dirty = true;
        const undo = card.querySelector("[data-undo-point]");
        if (undo) undo.focus();
        announce("已标记删除，保存后生效");
      } else if (target.hasAttribute("data-undo-point") && card) {
        input(card, card.dataset.prefix + "-DELETE").checked = false;
        renumber();
        announce("已撤销删除");
      } else if (target.hasAttribute("data-move") && card) {
        move(card, target.dataset.move);
      } else if (target.hasAttribute("data-collapse-point") && card) {
        setCollapsed(card, !card.classList.contains("is-collapsed"));
      } else if (target.hasAttribute("data-collapse-all")) {
        cards().forEach(function (c) { setCollapsed(c, true); });
      } else if (target.hasAttribute("data-expand-all")) {
        cards().forEach(function (c) { setCollapsed(c, false); });
      } else if (target.hasAttribute("data-add-measure") && card) {
        const item = addMeasure(card, target.dataset.addMeasure, "");
        const text = input(item, item.dataset.prefix + "-text");
        if (text) text.focus();
      } else if ((target.hasAttribute("data-remove-measure") || target.hasAttribute("data-undo-measure")) && card) {
        const item = target.closest("[data-measure]");
        const box = input(item, item.dataset.prefix + "-DELETE");
        box.checked = target.hasAttribute("data-remove-measure");
        renumberMeasures(card);
        dirty = true;
      } else if (target.hasAttribute("data-adopt")) {
        adopt(JSON.parse(target.dataset.adopt));
      }
    });

    form.addEventListener("change", function (event) {
      dirty = true;
      const card = event.target.closest("[data-point]");
      if (card && event.target.name === card.dataset.prefix + "-power") fillSteps(card, false);
    });

    form.addEventListener("input", function (event) {
      if (event.target.matches("[data-library-search]")) return;
      dirty = true;
      const card = event.target.closest("[data-point]");
      if (card && event.target.name === card.dataset.prefix + "-title") updateHeading(card);
    });

    form.addEventListener("keydown", function (event) {
      // Enter in the library search must not save the form.
      if (event.key === "Enter" && event.target.matches("[data-library-search]")) event.preventDefault();
    });

    form.addEventListener("submit", function () {
      renumber();
      cards().forEach(renumberMeasures);
      submitting = true;
    });

    window.addEventListener("beforeunload", function (event) {
      if (dirty && !submitting) {
        event.preventDefault();
        event.returnValue = form.dataset.leaveWarning || "";
      }
    });

    if (window.Sortable) {
      window.Sortable.create(list, {
        handle: "[data-drag]",
        draggable: "[data-point]",
        animation: 150,
        onEnd: function () { renumber(); dirty = true; },
      });
    }
    cards().forEach(setupPoint);
    renumber();
    // A new, empty filing starts with one blank point (left out if untouched).
    if (cards().length === 0 && !document.querySelector("[data-testid=form-problems]")) {
      addPoint();
      dirty = false;
    }
    // After a refused save, show the first problem.
    const firstError = form.querySelector(".field-error, .point-card.has-errors");
    if (firstError) firstError.scrollIntoView({ block: "center" });
  }

  function initReview(form) {
    const ranks = JSON.parse(document.getElementById("level-ranks").textContent);
    form.querySelectorAll("[data-review-row]").forEach(function (row) {
      const select = row.querySelector("[data-review-grade]");
      const reason = row.querySelector("[data-review-reason]");
      const marker = row.querySelector("[data-reason-marker]");
      const baseline = parseInt(row.dataset.baselineRank || "0", 10);
      function update() {
        const rank = ranks[select.value];
        const needed = Boolean(baseline && rank && rank > baseline);
        row.classList.toggle("needs-reason", needed);
        if (marker) marker.hidden = !needed;
        if (reason) reason.setAttribute("aria-required", needed ? "true" : "false");
      }
      select.addEventListener("change", update);
      update();
    });
    form.addEventListener("submit", function (event) {
      // Approving with a lowered grade and no reason: say so before sending.
      if (!event.submitter || event.submitter.value !== "approve") return;
      const missing = Array.from(form.querySelectorAll(".needs-reason [data-review-reason]")).filter(function (el) {
        return !el.value.trim();
      });
      if (missing.length) {
        event.preventDefault();
        missing[0].focus();
        const note = form.querySelector("[data-reason-alert]");
        if (note) note.hidden = false;
      }
    });
  }

  ready(function () {
    const form = document.getElementById("filing-form");
    if (form) initFilingForm(form);
    const review = document.getElementById("review-form");
    if (review) initReview(review);
  });
})();
