// Draws the client card's purchase history (revenue per month, one bar series per currency)
// from the JSON the template embeds; the table next to it carries the same figures.
(function () {
  function draw() {
    const canvas = document.getElementById("purchase-chart");
    const source = document.getElementById("purchase-chart-data");
    if (!canvas || !source || !window.Chart) return;
    const data = JSON.parse(source.textContent);
    const colours = ["#1f4e79", "#c8790a", "#2e7d32", "#8e24aa", "#00838f", "#6d4c41"];
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map((set, i) => ({
          label: set.label,
          data: set.data,
          backgroundColor: colours[i % colours.length],
        })),
      },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { display: data.datasets.length > 1, position: "bottom" } },
        scales: { x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } }, y: { beginAtZero: true } },
      },
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
