// Dashboard charts: the figures come from the page (json_script "dashboard-data"); the tables beside
// them carry the same numbers, so the page still reads without JavaScript or if Chart.js fails.
const RED = "#c8102e";
const COLORS = ["#c8102e", "#f4c542", "#2f6fb0", "#3a9d5d", "#8e44ad", "#e67e22", "#7f8c8d"];

function draw(id, config) {
  const canvas = document.getElementById(id);
  if (canvas && window.Chart) new window.Chart(canvas, config);
}

const source = document.getElementById("dashboard-data");
if (source) {
  const data = JSON.parse(source.textContent);
  const common = { responsive: true, maintainAspectRatio: false, animation: false };
  draw("chart-category", {
    type: "doughnut",
    data: { labels: data.category.labels, datasets: [{ data: data.category.counts, backgroundColor: COLORS }] },
    options: { ...common, plugins: { legend: { position: "bottom" } } },
  });
  draw("chart-status", {
    type: "bar",
    data: { labels: data.status.labels, datasets: [{ label: "项目数", data: data.status.counts, backgroundColor: RED }] },
    options: { ...common, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  draw("chart-children", {
    type: "bar",
    data: {
      labels: data.children.labels,
      datasets: [
        { label: "已核拨", data: data.children.committed, backgroundColor: RED },
        { label: "已支出", data: data.children.spent, backgroundColor: "#f4c542" },
      ],
    },
    options: { ...common, scales: { y: { beginAtZero: true } }, plugins: { legend: { position: "bottom" } } },
  });
}
