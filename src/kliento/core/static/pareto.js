// Draws the Pareto curve of the key-client page from the JSON the template embeds.
(function () {
  const script = document.currentScript;
  const canvas = document.getElementById("pareto-chart");
  const data = JSON.parse(document.getElementById("pareto-curve").textContent);
  if (!canvas || !window.Chart) return;
  const points = data.map(([x, y]) => ({ x, y }));
  new window.Chart(canvas, {
    type: "line",
    data: {
      datasets: [
        { data: points, borderColor: "#1f4e79", backgroundColor: "rgba(31,78,121,.12)", fill: true, tension: 0.2, pointRadius: 2 },
        { label: script.dataset.evenLabel, data: [{ x: 0, y: 0 }, { x: 100, y: 100 }], borderColor: "#adb5bd", borderDash: [4, 4], pointRadius: 0 },
      ],
    },
    options: {
      maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `${c.parsed.x.toFixed(0)}% → ${c.parsed.y.toFixed(1)}%` } } },
      scales: {
        x: { type: "linear", min: 0, max: 100, title: { display: true, text: script.dataset.xLabel } },
        y: { min: 0, max: 100, title: { display: true, text: script.dataset.yLabel } },
      },
    },
  });
})();
