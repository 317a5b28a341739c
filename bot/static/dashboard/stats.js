// Draws the statistics page's charts from the JSON the server embedded (Chart.js, shipped locally).
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  // Colour says something only where it means something: a ticket's state (办结 green, 不予受理 grey,
  // still open in blues and amber; red nowhere, it would read as "late"). Bars are one plain colour.
  const stateColors = { "已受理": "#4c8bd6", "已派遣": "#f0a030", "处置中": "#e0c040", "已办结": "#2e9e4f",
                        "不予受理": "#9a9a9a" };
  const plain = "#4c8bd6";
  function options(type, max) {
    const options = { animation: false, plugins: { legend: { display: type === "doughnut" } } };
    if (type !== "doughnut") {  // counts are whole numbers; percentages stop at 100
      options.scales = { y: { beginAtZero: true, max: max, ticks: { precision: 0 } } };
    }
    return options;
  }
  function draw(id, type, pairs, label, max) {
    const el = document.getElementById(id);
    if (!el || !window.Chart) return;
    el.chart = new Chart(el, {
      type: type,
      data: { labels: pairs.map(p => p[0]),
              datasets: [{ label: label, data: pairs.map(p => p[1]), borderColor: plain,
                           backgroundColor: type === "doughnut" ? pairs.map(p => stateColors[p[0]] || plain) : plain }] },
      options: options(type, max),
    });
  }
  draw("chart-category", "bar", data.category, "工单数");
  draw("chart-state", "doughnut", data.state, "工单数");
  draw("chart-trend", "line", data.trend, "受理量");
  draw("chart-weekly", "bar", data.weekly, "受理量");
  draw("chart-department", "bar", data.department, "工单数");
  draw("chart-on-time", "bar", data.on_time, "按时办结率 %", 100);
  document.body.dataset.chartsReady = "1";
})();
