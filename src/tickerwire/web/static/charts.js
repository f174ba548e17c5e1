// Draws every <div data-chart="NAME"> from the JSON in <script id="chart-data">.
// The page passes data, never code: this file is the only script besides plotly.js.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof Plotly === "undefined") { return; }
    var charts = JSON.parse(source.textContent || "{}");
    var nodes = document.querySelectorAll("[data-chart]");
    Array.prototype.forEach.call(nodes, function (node) {
      var spec = charts[node.getAttribute("data-chart")];
      if (!spec) { return; }
      var layout = Object.assign({
        margin: { l: 48, r: 48, t: 28, b: 36 },
        font: { family: getComputedStyle(document.body).fontFamily, size: 12 },
        paper_bgcolor: "#ffffff",
        plot_bgcolor: "#ffffff",
        hovermode: "x unified",
        legend: { orientation: "h", x: 0, y: 1.12 }
      }, spec.layout || {});
      Plotly.newPlot(node, spec.data || [], layout, {
        displaylogo: false,
        responsive: true,
        modeBarButtonsToRemove: ["lasso2d", "select2d"]
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
