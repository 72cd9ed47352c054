// What every page does: opens every collapsed part for printing, and checks its own layout
// for the tests that open it in a browser (data-ready once done).
(function () {
  // Printing a closed tree would print nothing of it.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  // The page checks its own layout, for the tests that open it in a browser: a box whose content
  // spills out sideways, a page wider than the window, or timeline labels that run into each
  // other or past the edge are named on the root element. Nothing is changed.
  var root = document.documentElement, spill = [];
  document.querySelectorAll(".card, .column, .column li, .item-card, .tree li, section, header.page")
    .forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) spill.push(el.id || el.dataset.theme || el.className);
    });
  if (root.scrollWidth > root.clientWidth + 1) spill.push("page");
  if (spill.length) root.dataset.spill = spill.join(" ");
  var svg = document.querySelector("svg.timeline");
  var labels = document.querySelectorAll("svg.timeline text.period");
  for (var i = 0; i < labels.length; i++) {
    var b = labels[i].getBoundingClientRect();
    var a = i > 0 ? labels[i - 1].getBoundingClientRect() : null;
    if ((a && a.right > b.left) || b.right > svg.getBoundingClientRect().right + 1) {
      root.dataset.overlap = labels[i].textContent;
      break;
    }
  }
  root.dataset.ready = "1";
})();
