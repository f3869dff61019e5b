// Neutrality dashboard: each month's neutrality rate (bars) and T/CA305 offset ratio against the month's target (line), in %.
(function () {
  'use strict';
  if (typeof echarts === 'undefined') return;
  var el = document.getElementById('nz-chart'), block = document.getElementById('nz-data');
  if (!el || !block) return;
  var d = JSON.parse(block.textContent);
  var f = new Intl.NumberFormat(d.lang === 'zh-CN' ? 'zh-CN' : 'en', { maximumFractionDigits: 1 });
  var chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' },
    color: ['#0f7b6c', '#2f6fde', '#d9822b'],
    legend: { top: 0 }, grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: function (v) { return v === null || v === undefined ? '—' : f.format(v) + ' %'; } },
    xAxis: { type: 'category', data: d.months },
    yAxis: { type: 'value', axisLabel: { formatter: function (v) { return f.format(v) + ' %'; } }, splitLine: { lineStyle: { color: '#eef1f4' } } },
    series: [
      { name: d.labels.rate, type: 'bar', data: d.rate, barMaxWidth: 24 },
      { name: d.labels.sdc, type: 'bar', data: d.sdc, barMaxWidth: 24 },
      { name: d.labels.target, type: 'line', step: 'middle', data: d.target, symbolSize: 5, lineStyle: { type: 'dashed' } }
    ]
  });
  window.addEventListener('resize', function () { chart.resize(); });
  document.documentElement.setAttribute('data-charts', 'ready');
})();
