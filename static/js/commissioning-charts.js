// The commissioning report's charts and the commissioners' insights' charts, drawn with Chart.js
// (static/vendor/chartjs) from the json_script "commissioning-charts" (or "insights-charts"):
// the same figures as the table beside each chart, which
// is what shows without JavaScript. Each <figure data-chart="name"> is hidden until its chart
// is drawn. Series differ by pattern as well as colour, so that colour is never the only cue;
// every colour has at least 3:1 contrast with the white page. Labels are drawn on the canvas,
// never put into the page as HTML.
(function () {
  "use strict";
  var source = document.getElementById("commissioning-charts") ||
    document.getElementById("insights-charts");
  if (!source || typeof window.Chart === "undefined") { return; }
  var DATA = JSON.parse(source.textContent);
  var Chart = window.Chart;

  // Dark enough on white for graphics (WCAG 1.4.11), and told apart by pattern too.
  var COLOURS = ["#1d4f91", "#b35900", "#2e7d32", "#6a1b9a", "#b10e1e", "#505a5f"];
  var PATTERNS = ["solid", "diagonal", "dots", "cross", "horizontal", "vertical"];
  var TEXT = "#0b0c0c";
  var GRID = "#b1b4b6";
  // Sizes for paper (CSS pixels): the screen's size would be wrong on the page.
  var PRINT_WIDTH = 620;
  var PRINT_HEIGHT = { tall: 340, normal: 246 };

  // The page's own type, a little larger than Chart.js's default, so the labels are readable.
  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 14;
  Chart.defaults.color = "#0b0c0c";

  function pattern(colour, kind) {
    if (kind === "solid") { return colour; }
    var tile = document.createElement("canvas");
    tile.width = 10;
    tile.height = 10;
    var ctx = tile.getContext("2d");
    if (!ctx) { return colour; }
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, 10, 10);
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 3;
    ctx.beginPath();
    if (kind === "diagonal") {
      ctx.moveTo(-2, 12); ctx.lineTo(12, -2);
      ctx.moveTo(-2, 2); ctx.lineTo(2, -2);
      ctx.moveTo(8, 12); ctx.lineTo(12, 8);
      ctx.stroke();
    } else if (kind === "dots") {
      ctx.arc(5, 5, 3, 0, Math.PI * 2);
      ctx.fill();
    } else if (kind === "cross") {
      ctx.moveTo(0, 5); ctx.lineTo(10, 5);
      ctx.moveTo(5, 0); ctx.lineTo(5, 10);
      ctx.stroke();
    } else if (kind === "horizontal") {
      ctx.moveTo(0, 5); ctx.lineTo(10, 5);
      ctx.stroke();
    } else {
      ctx.moveTo(5, 0); ctx.lineTo(5, 10);
      ctx.stroke();
    }
    return ctx.createPattern(tile, "repeat") || colour;
  }

  function datasets(series) {
    return series.map(function (one, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: one.label,
        data: one.data,
        backgroundColor: pattern(colour, PATTERNS[i % PATTERNS.length]),
        borderColor: colour,
        borderWidth: 2,
      };
    });
  }

  function draw(figure) {
    var chart = DATA[figure.dataset.chart];
    var canvas = figure.querySelector("canvas");
    if (!chart || !canvas || !chart.labels.length) { return null; }
    var stacked = figure.dataset.chartKind === "stacked";
    var vertical = figure.hasAttribute("data-chart-vertical");
    var valueAxis = {
      beginAtZero: true,
      stacked: stacked,
      // Whole numbers unless the figure says its values have decimals (data-chart-decimals).
      ticks: { precision: figure.hasAttribute("data-chart-decimals") ? undefined : 0, color: TEXT },
      grid: { color: GRID },
      title: { display: true, text: figure.dataset.chartAxis || "", color: TEXT },
    };
    var labelAxis = { stacked: stacked, ticks: { color: TEXT, autoSkip: false }, grid: { display: false } };
    figure.hidden = false;
    return new Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: datasets(chart.series) },
      options: {
        indexAxis: vertical ? "x" : "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: vertical ? { x: labelAxis, y: valueAxis } : { x: valueAxis, y: labelAxis },
        plugins: {
          legend: { display: chart.series.length > 1, labels: { color: TEXT } },
          tooltip: { enabled: true },
        },
      },
    });
  }

  var drawn = [];
  document.querySelectorAll("figure[data-chart]").forEach(function (figure) {
    var chart = draw(figure);
    if (chart) { drawn.push({ chart: chart, figure: figure }); }
  });

  // The browser prints the canvas as it was drawn for the screen; draw it again for paper.
  window.addEventListener("beforeprint", function () {
    drawn.forEach(function (one) {
      var tall = one.figure.querySelector(".chart__canvas--tall");
      one.chart.resize(PRINT_WIDTH, tall ? PRINT_HEIGHT.tall : PRINT_HEIGHT.normal);
    });
  });
  window.addEventListener("afterprint", function () {
    drawn.forEach(function (one) { one.chart.resize(); });
  });
})();
