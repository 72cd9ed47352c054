// The PM page's filter box and expand/collapse for the tree; the page works without it.
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
})();
