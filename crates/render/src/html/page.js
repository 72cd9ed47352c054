// A filter box and expand/collapse for the tree; the page works without it. Errors are kept on
// the page (data-error) so a test that loads it in a browser can see them.
window.addEventListener("error", function (e) {
  document.documentElement.dataset.error = String(e.message);
});
(function () {
  var tree = document.querySelector(".tree");
  var controls = document.querySelector(".controls");
  if (tree && controls) {
    controls.hidden = false;
    var all = document.querySelectorAll("details");
    document.getElementById("expand").addEventListener("click", function () {
      all.forEach(function (d) { d.open = true; });
    });
    document.getElementById("collapse").addEventListener("click", function () {
      all.forEach(function (d) { d.open = false; });
    });
    // Read the rows on the first search, not on load: a large plan's page opens sooner.
    var rows = null, items = null;
    var box = document.getElementById("filter");
    // An item shows when it or something under it matches; what matches is opened to.
    var filter = function (q) {
      q = q.trim().toLowerCase();
      if (!rows) {
        rows = Array.prototype.map.call(tree.querySelectorAll(".row"), function (r) {
          return { row: r, text: r.textContent.toLowerCase() };
        });
        items = tree.querySelectorAll("li");
      }
      items.forEach(function (li) { li.style.display = q ? "none" : ""; });
      if (!q) return;
      rows.forEach(function (x) {
        var r = x.row;
        if (x.text.indexOf(q) < 0) return;
        for (var li = r.closest("li"); li; li = li.parentElement.closest("li")) li.style.display = "";
        for (var d = r.parentElement.closest("details"); d; d = d.parentElement.closest("details")) {
          d.open = true;
        }
      });
    };
    box.addEventListener("input", function (e) { filter(e.target.value); });
    // A link can carry a view: pm.html#expand opens everything, pm.html#filter=BL-12 filters.
    // A malformed escape (`#filter=%E0%A4%A`) is taken as written rather than thrown, which
    // would stop the rest of this script, the print handler among it.
    var hash = location.hash.slice(1);
    try { hash = decodeURIComponent(hash); } catch (e) { /* kept as written */ }
    if (hash === "expand") all.forEach(function (d) { d.open = true; });
    if (hash.indexOf("filter=") === 0) { box.value = hash.slice(7); filter(box.value); }
  }
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
