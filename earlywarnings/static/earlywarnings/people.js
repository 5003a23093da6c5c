// A filter box above each people picker (select[data-person-picker]): typing a
// name or a section narrows the options, so a unit of thousands stays usable.
// The options are rebuilt from a copy rather than hidden (Safari cannot hide
// an <option>); the chosen person always stays in the list.
(function () {
  function setUp(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    var original = Array.prototype.map.call(select.children, function (node) {
      return node.cloneNode(true);
    });
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.getAttribute("data-person-picker") || "";
    box.setAttribute("aria-label", box.placeholder);
    box.autocomplete = "off";
    select.parentNode.insertBefore(box, select);

    function matches(option, text) {
      return option.value === "" || option.value === select.value ||
        option.textContent.toLowerCase().indexOf(text) !== -1;
    }

    box.addEventListener("input", function () {
      var text = box.value.trim().toLowerCase();
      var chosen = select.value;
      select.textContent = "";
      original.forEach(function (node) {
        if (node.tagName === "OPTGROUP") {
          var inGroup = text && node.label.toLowerCase().indexOf(text) !== -1;
          var group = node.cloneNode(false);
          Array.prototype.forEach.call(node.children, function (option) {
            if (!text || inGroup || matches(option, text)) group.appendChild(option.cloneNode(true));
          });
          if (group.children.length) select.appendChild(group);
        } else if (!text || matches(node, text)) {
          select.appendChild(node.cloneNode(true));
        }
      });
      select.value = chosen;
    });
  }

  function scan(root) {
    (root || document).querySelectorAll("select[data-person-picker]").forEach(setUp);
  }

  scan();
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();
