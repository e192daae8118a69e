// Draws a survey's score distribution from the JSON the page embeds (the table beside it
// carries the same figures).
(function () {
  function draw() {
    const canvas = document.getElementById("survey-chart");
    const source = document.getElementById("survey-chart-data");
    if (!canvas || !source || !window.Chart) return;
    const data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: [{ data: data.values, backgroundColor: "#1f4e79" }] },
      options: { maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
