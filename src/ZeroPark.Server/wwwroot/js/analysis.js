// Energy analysis pages: grouped bar charts from JSON blocks (#compare-data: this period vs previous month vs last year;
// #plan-data: monthly plan vs actual with cumulative lines; #cost-data: cost per time-of-use period, stacked).
(function () {
  'use strict';
  if (typeof echarts === 'undefined') return;
  var font = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  function nf(lang, d) { return new Intl.NumberFormat(lang === 'zh-CN' ? 'zh-CN' : 'en', { maximumFractionDigits: d }); }
  function draw(id, dataId, build) {
    var el = document.getElementById(id), block = document.getElementById(dataId);
    if (!el || !block) return;
    var data = JSON.parse(block.textContent);
    var chart = echarts.init(el, null, { renderer: 'svg' });
    var o = build(data, nf(data.lang, 0));
    o.animation = false; o.textStyle = { fontFamily: font };
    chart.setOption(o);
    window.addEventListener('resize', function () { chart.resize(); });
  }
  var axis = function (f, name) { return { type: 'value', name: name, axisLabel: { formatter: function (v) { return f.format(v); } }, splitLine: { lineStyle: { color: '#eef1f4' } } }; };
  draw('compare-chart', 'compare-data', function (d, f) {
    return {
      color: ['#0f7b6c', '#2f6fde', '#b0b8c2'],
      legend: { top: 0 }, grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: function (v) { return v === null || v === undefined ? '—' : f.format(v) + ' kWh'; } },
      xAxis: { type: 'category', data: d.names, axisLabel: { interval: 0, width: 110, overflow: 'truncate' } },
      yAxis: axis(f, 'kWh'),
      series: d.series.map(function (s) { return { name: s.name, type: 'bar', data: s.data, barMaxWidth: 26 }; })
    };
  });
  draw('plan-chart', 'plan-data', function (d, f) {
    return {
      color: ['#c9d3de', '#0f7b6c', '#2f6fde', '#e0a030'],
      legend: { top: 0 }, grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return v === null || v === undefined ? '—' : f.format(v) + ' ' + d.unit; } },
      xAxis: { type: 'category', data: d.months },
      yAxis: [axis(f, d.unit), axis(f, d.cumLabel)],
      series: [
        { name: d.labels.plan, type: 'bar', data: d.plan, barMaxWidth: 22 },
        { name: d.labels.actual, type: 'bar', data: d.actual, barMaxWidth: 22 },
        { name: d.labels.cumPlan, type: 'line', yAxisIndex: 1, data: d.cumPlan, symbolSize: 5, lineStyle: { type: 'dashed' } },
        { name: d.labels.cumActual, type: 'line', yAxisIndex: 1, data: d.cumActual, symbolSize: 5 }
      ]
    };
  });
  draw('cost-chart', 'cost-data', function (d, f) {
    return {
      color: ['#c53030', '#e0a030', '#2f6fde', '#0f7b6c'],
      legend: { top: 0 }, grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: function (v) { return v === null || v === undefined ? '—' : '¥ ' + f.format(v); } },
      xAxis: { type: 'category', data: d.labels },
      yAxis: axis(f, 'CNY'),
      series: d.series.map(function (s) { return { name: s.name, type: 'bar', stack: 'cost', data: s.data, barMaxWidth: 28 }; })
    };
  });
  document.documentElement.setAttribute('data-charts', 'ready');
})();
