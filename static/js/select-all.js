// "Tout cocher / Tout décocher" for a group of checkboxes, and the number chosen.
// The texts come from the page (data-none, data-one, data-many with %s), translated there.
// Without JavaScript the buttons stay hidden and every box starts unticked.
document.querySelectorAll("[data-select-group]").forEach(function (form) {
  var boxes = form.querySelectorAll('input[type="checkbox"]');
  var count = form.querySelector("[data-select-count]");
  function update() {
    var n = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
    if (count) {
      var text = n === 0 ? count.dataset.none : n === 1 ? count.dataset.one : count.dataset.many;
      count.textContent = (text || "").replace("%s", n);
    }
  }
  form.querySelectorAll("[data-select]").forEach(function (button) {
    button.addEventListener("click", function () {
      var value = button.getAttribute("data-select") === "all";
      boxes.forEach(function (b) { b.checked = value; });
      update();
    });
  });
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  var buttons = form.querySelector("[data-select-buttons]");
  if (buttons) { buttons.hidden = false; }
  update();
});
