// Draws the dashboard's charts from the JSON the server put in #dashboard-data. Every chart has
// a table with the same numbers next to it, so nothing depends on this script.
(function () {
  "use strict";
  var el = document.getElementById("dashboard-data");
  if (!el || typeof Chart === "undefined") return;
  var data = JSON.parse(el.textContent);
  var L = data.labels;
  // Names, not codes, on the axes (the page is shown in meetings).
  function areaName(code) { return (data.area_labels || {})[code] || code; }
  var colors = ["#b3261e", "#e07b00", "#1e6bb8", "#2e7d32", "#6a1b9a"];
  var base = { responsive: true, maintainAspectRatio: false, animation: false };

  function bar(id, labels, datasets, stacked) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: Object.assign({}, base, {
        scales: { x: { stacked: !!stacked }, y: { stacked: !!stacked, beginAtZero: true } }
      })
    });
  }
  function pick(rows, key) { return rows.map(function (r) { return r[key]; }); }

  bar("chart-area-tier", pick(data.by_area_tier, "area").map(areaName), [1, 2, 3].map(function (t) {
    return { label: L.tier[t - 1], data: pick(data.by_area_tier, "tier" + t), backgroundColor: colors[t - 1] };
  }), true);

  var weeks = document.getElementById("chart-weeks");
  if (weeks) {
    new Chart(weeks, {
      type: "line",
      data: {
        labels: pick(data.per_week, "week"),
        datasets: [
          { label: L.opened, data: pick(data.per_week, "opened"), borderColor: colors[0] },
          { label: L.closed, data: pick(data.per_week, "closed"), borderColor: colors[3] }
        ]
      },
      options: Object.assign({}, base, { scales: { y: { beginAtZero: true } } })
    });
  }
  bar("chart-age", pick(data.age, "bucket"),
      [{ label: L.open, data: pick(data.age, "count"), backgroundColor: colors[2] }]);
  bar("chart-cost", pick(data.cost_by_area, "area").map(areaName),
      [{ label: L.hours, data: pick(data.cost_by_area, "hours"), backgroundColor: colors[1] }]);
  bar("chart-affects", pick(data.affects_by_institution, "institution"),
      [{ label: L.affects, data: pick(data.affects_by_institution, "count"), backgroundColor: colors[4] }]);
})();
