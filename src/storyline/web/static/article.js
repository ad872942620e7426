// Article page: clicking an item in the side panel (or an evidence run in the text) highlights all of
// that item's evidence. Reads only data-* attributes and never writes HTML, so article text stays text.
(function () {
  "use strict";
  var text = document.getElementById("article");
  if (!text) { return; }
  var runs = Array.prototype.slice.call(document.querySelectorAll(".ev[data-items]"));
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button.item[data-target]"));
  var cards = Array.prototype.slice.call(document.querySelectorAll(".card[data-item]"));

  function select(target) {
    var first = null;
    runs.forEach(function (run) {
      var on = run.getAttribute("data-items").split(" ").indexOf(target) !== -1;
      run.classList.toggle("hl", on);
      if (on && first === null) { first = run; }
    });
    buttons.forEach(function (b) { b.classList.toggle("selected", b.getAttribute("data-target") === target); });
    cards.forEach(function (c) { c.classList.toggle("hl", c.getAttribute("data-item") === target); });
    document.body.setAttribute("data-selected", target);
    if (first !== null && first.scrollIntoView) { first.scrollIntoView({ block: "center" }); }
  }

  buttons.forEach(function (b) {
    b.addEventListener("click", function () { select(b.getAttribute("data-target")); });
  });
  runs.forEach(function (run) {
    run.addEventListener("click", function () {
      var items = run.getAttribute("data-items").split(" ");
      var current = document.body.getAttribute("data-selected");
      var i = items.indexOf(current);
      select(items[(i + 1) % items.length]);  // repeated clicks cycle through the overlapping items
    });
  });
})();
