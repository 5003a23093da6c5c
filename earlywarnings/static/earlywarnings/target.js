// Show only the target fields that fit the chosen kind (person, post, section, unit).
(function () {
  function sync(select) {
    var form = select.form;
    var kind = select.value;
    ["person", "post", "section"].forEach(function (name) {
      var field = form.querySelector("[name=" + name + "]");
      if (!field) return;
      var wrap = field.closest(".mb-3") || field.parentNode;
      wrap.hidden = kind !== name;
    });
  }
  document.querySelectorAll("select[name=target_kind]").forEach(function (select) {
    select.addEventListener("change", function () { sync(select); });
    sync(select);
  });
})();
