// Draws a touchpoint's impressions per week or month (stacked by sentiment) from the JSON the
// template embeds; the table next to it carries the same figures.
(function () {
  function draw() {
    const canvas = document.getElementById("impression-chart");
    const source = document.getElementById("impression-chart-data");
    if (!canvas || !source || !window.Chart) return;
    const data = JSON.parse(source.textContent);
    const series = [
      ["positive", "#2e7d32"],
      ["neutral", "#9e9e9e"],
      ["negative", "#c62828"],
    ];
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: series.map(([key, colour]) => ({
          label: data.names[key],
          data: data[key],
          backgroundColor: colour,
        })),
      },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { position: "bottom" } },
        scales: {
          x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 6 } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
