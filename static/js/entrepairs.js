/* Entre Pairs: small progressive enhancements; every page works without them.

   Wide tables on phones. Each data table of the page is marked .table-stack and each of its
   cells receives data-label = the text of its column header, so that below 576 px the CSS
   (static/css/entrepairs.css) shows every row as a card, "Colonne : valeur" per line, instead
   of a table wider than the screen. Column headers are read from the last row of <thead>,
   colspans counted; a cell that already has data-label keeps it. Tables marked .table-keep, and
   layout tables without a <thead>, are left as they are. */
(function () {
  "use strict";

  function headerLabels(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) {
      return null;
    }
    var labels = [];
    var row = head.rows[head.rows.length - 1];
    Array.prototype.forEach.call(row.cells, function (cell) {
      // What a sighted reader sees of the header: not the text meant for screen readers
      // (a sort link's "trié par ordre croissant…") nor decorative marks (▲ ▼).
      var copy = cell.cloneNode(true);
      Array.prototype.forEach.call(
        copy.querySelectorAll(".visually-hidden, [aria-hidden='true']"),
        function (node) { node.remove(); }
      );
      var text = (cell.getAttribute("data-label") || copy.textContent || "").replace(/\s+/g, " ").trim();
      for (var i = 0; i < (cell.colSpan || 1); i += 1) {
        labels.push(text);
      }
    });
    return labels;
  }

  function stack(table) {
    if (table.classList.contains("table-keep")) {
      return;
    }
    var labels = headerLabels(table);
    if (!labels) {
      return;
    }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var span = cell.colSpan || 1;
          // A cell spanning the whole row (an empty state, a sub-heading) needs no label.
          if (span < labels.length && labels[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += span;
        });
      });
    });
    table.classList.add("table-stack");
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("main table"), stack);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
