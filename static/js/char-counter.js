// A visible counter under every text field that has a limit (data-maxlength), updated as one
// types or pastes. The browser's maxlength is not used: it cuts a pasted text silently; here
// the text stays whole, the counter says by how much it is too long, and the server refuses it
// with a message.
document.querySelectorAll("textarea[data-maxlength]").forEach(function (field) {
  var limit = parseInt(field.getAttribute("data-maxlength"), 10);
  if (!limit) { return; }
  var counter = document.createElement("div");
  counter.className = "form-text";
  counter.id = field.id + "_counter";
  counter.setAttribute("aria-live", "polite");
  field.insertAdjacentElement("afterend", counter);
  var described = field.getAttribute("aria-describedby");
  field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
  function update() {
    var n = field.value.length;
    if (n > limit) {
      counter.textContent = n + " / " + limit + " caractères : " + (n - limit) + " de trop.";
      counter.classList.add("text-danger", "fw-semibold");
    } else {
      counter.textContent = n + " / " + limit + " caractères.";
      counter.classList.remove("text-danger", "fw-semibold");
    }
  }
  field.addEventListener("input", update);
  update();
});
