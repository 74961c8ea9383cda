// Draws every <div class="chart" data-figure="..."> with the offline Plotly bundle.
// Kept in a file (not inline) so the Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";
  function draw() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll("div.chart[data-figure]").forEach(function (div) {
      var figure = JSON.parse(div.getAttribute("data-figure"));
      Plotly.newPlot(div, figure.data, figure.layout, {
        responsive: true, displaylogo: false, locale: "nl"
      });
      // Dashboard drill-down: a bar whose customdata is a list address opens that list.
      if (div.hasAttribute("data-drill") && div.on) {
        div.on("plotly_click", function (event) {
          var link = event.points && event.points[0] && event.points[0].customdata;
          if (typeof link === "string" && link.indexOf("/dashboard/lijst?") === 0) {
            window.location.assign(link);
          }
        });
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
