// Draws the statistics page's charts from the JSON the server embedded (Chart.js, shipped locally).
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                  "#bcbd22", "#17becf"];
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
              datasets: [{ label: label, data: pairs.map(p => p[1]), borderColor: "#1f77b4",
                           backgroundColor: type === "line" ? "#1f77b4" : colors }] },
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
