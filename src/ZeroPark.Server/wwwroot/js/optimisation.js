// The forecast chart of the optimisation page: recent actuals, then the forecast shown and the seasonal-naive baseline.
(function () {
  var el = document.getElementById('forecast-chart');
  var data = document.getElementById('forecast-data');
  if (!el || !data || typeof echarts === 'undefined') return;
  var d = JSON.parse(data.textContent || '{}');
  if (!d.labels) return;
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [d.names.actual, d.names.forecast, d.names.baseline] },
    grid: { left: 60, right: 20, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: d.labels },
    yAxis: { type: 'value', name: d.unit, scale: true },
    series: [
      { name: d.names.actual, type: 'line', showSymbol: false, data: d.actual },
      { name: d.names.forecast, type: 'line', showSymbol: false, lineStyle: { width: 3 }, data: d.forecast },
      { name: d.names.baseline, type: 'line', showSymbol: false, lineStyle: { type: 'dashed' }, data: d.baseline }
    ]
  });
  el.setAttribute('data-ready', 'true');
  document.documentElement.setAttribute('data-charts', 'ready');
  window.addEventListener('resize', function () { chart.resize(); });
})();
