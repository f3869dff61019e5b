// Carbon pages (Apache ECharts, served from this server): the inventory's emissions by source (#carbon-data) and the analysis
// charts — monthly trend with the previous year and YoY, emissions per day/hour with CUE (#carbon-analysis-data).
(function () {
  'use strict';
  if (typeof echarts === 'undefined') return;
  var font = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var palette = ['#0f7b6c', '#2f6fde', '#e0a030', '#8e6cc8', '#19a88f', '#c55a5a', '#5b8fb9', '#b0b8c2', '#7a9e3a', '#d47fa6'];
  var charts = [];
  function init(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    var c = echarts.init(el, null, { renderer: 'svg' });
    charts.push(c);
    return c;
  }
  function read(id) {
    var b = document.getElementById(id);
    return b ? JSON.parse(b.textContent) : null;
  }

  var inv = read('carbon-data');
  if (inv) {
    var nf = new Intl.NumberFormat(inv.lang === 'zh-CN' ? 'zh-CN' : 'en', { maximumFractionDigits: 3 });
    var donut = init('carbon-donut');
    if (donut) donut.setOption({
      animation: false, color: palette, textStyle: { fontFamily: font },
      tooltip: { trigger: 'item', formatter: function (p) { return p.name + '<br/>' + nf.format(p.value) + ' tCO2e (' + p.percent + '%)'; } },
      legend: { bottom: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
      series: [{ type: 'pie', radius: ['40%', '64%'], center: ['50%', '42%'], avoidLabelOverlap: true,
        label: { formatter: '{d}%', fontSize: 11, overflow: 'none' }, labelLine: { length: 8, length2: 6 }, data: inv.donut }]
    });
  }

  var an = read('carbon-analysis-data');
  if (an) {
    var zh = an.lang === 'zh-CN';
    var nf3 = new Intl.NumberFormat(zh ? 'zh-CN' : 'en', { maximumFractionDigits: 3 });
    var trend = init('trend-chart');
    if (trend) trend.setOption({
      animation: false, textStyle: { fontFamily: font },
      grid: { left: 70, right: 60, top: 64, bottom: 30 },
      tooltip: { trigger: 'axis' },
      legend: { data: [an.labels.total, an.labels.previous, an.labels.yoy], top: 0 },
      xAxis: { type: 'category', data: an.trend.months },
      yAxis: [
        { type: 'value', name: 'tCO2e', axisLabel: { formatter: function (v) { return nf3.format(v); } } },
        { type: 'value', name: '%', splitLine: { show: false } }
      ],
      series: [
        { name: an.labels.total, type: 'bar', data: an.trend.total, itemStyle: { color: '#0f7b6c' }, barMaxWidth: 28 },
        { name: an.labels.previous, type: 'bar', data: an.trend.previous, itemStyle: { color: '#b9d9d3' }, barMaxWidth: 28 },
        { name: an.labels.yoy, type: 'line', yAxisIndex: 1, data: an.trend.yoy, itemStyle: { color: '#e0a030' }, symbolSize: 6 }
      ]
    });
    var series = init('series-chart');
    if (series) series.setOption({
      animation: false, textStyle: { fontFamily: font },
      grid: { left: 70, right: 60, top: 64, bottom: 50 },
      tooltip: { trigger: 'axis' },
      legend: { data: [an.labels.scope2, an.labels.scope1, an.labels.cue], top: 0 },
      dataZoom: an.series.labels.length > 62 ? [{ type: 'slider', height: 16, bottom: 8 }] : [],
      xAxis: { type: 'category', data: an.series.labels },
      yAxis: [
        { type: 'value', name: 'tCO2e', axisLabel: { formatter: function (v) { return nf3.format(v); } } },
        { type: 'value', name: 'CUE', scale: true, splitLine: { show: false } }
      ],
      series: [
        { name: an.labels.scope2, type: 'bar', stack: 'e', data: an.series.scope2, itemStyle: { color: '#2f6fde' }, barMaxWidth: 16 },
        { name: an.labels.scope1, type: 'bar', stack: 'e', data: an.series.scope1, itemStyle: { color: '#e0a030' }, barMaxWidth: 16 },
        { name: an.labels.cue, type: 'line', yAxisIndex: 1, data: an.series.cue, itemStyle: { color: '#0f7b6c' }, symbolSize: 4, connectNulls: false }
      ]
    });
  }
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  document.documentElement.setAttribute('data-charts', 'ready');
})();
