// Park overview charts (Apache ECharts, served from this server). Data comes from the page's JSON block #overview-data.
(function () {
  'use strict';
  var block = document.getElementById('overview-data');
  if (!block || typeof echarts === 'undefined') return;
  var data = JSON.parse(block.textContent);
  var zh = data.lang === 'zh-CN';
  var nf = new Intl.NumberFormat(zh ? 'zh-CN' : 'en', { maximumFractionDigits: 0 });
  var font = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  var trendEl = document.getElementById('trend-chart');
  if (trendEl) {
    var trend = echarts.init(trendEl, null, { renderer: 'svg' });
    trend.setOption({
      animation: false,
      textStyle: { fontFamily: font },
      grid: { left: 70, right: 60, top: 40, bottom: 30 },
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return v == null ? '—' : (v < 10 ? v.toFixed(3) : nf.format(v) + ' kWh'); } },
      legend: { data: [data.labels.energy, data.labels.pue], top: 0 },
      xAxis: { type: 'category', data: data.trend.days, axisTick: { alignWithLabel: true } },
      yAxis: [
        { type: 'value', name: 'kWh', axisLabel: { formatter: function (v) { return nf.format(v); } } },
        { type: 'value', name: 'PUE', scale: true, minInterval: 0.01, splitLine: { show: false }, axisLabel: { formatter: function (v) { return v.toFixed(2); } } }
      ],
      series: [
        { name: data.labels.energy, type: 'bar', data: data.trend.kwh, itemStyle: { color: '#8cc7bd' }, barMaxWidth: 18 },
        { name: data.labels.pue, type: 'line', yAxisIndex: 1, data: data.trend.pue, smooth: true, symbolSize: 5, itemStyle: { color: '#2f6fde' }, connectNulls: false }
      ]
    });
    window.addEventListener('resize', function () { trend.resize(); });
  }

  var splitEl = document.getElementById('split-chart');
  if (splitEl) {
    var split = echarts.init(splitEl, null, { renderer: 'svg' });
    split.setOption({
      animation: false,
      textStyle: { fontFamily: font },
      color: ['#0f7b6c', '#2f6fde', '#e0a030', '#8e6cc8', '#b0b8c2'],
      tooltip: { trigger: 'item', valueFormatter: function (v) { return nf.format(v) + ' kWh'; } },
      legend: { orient: 'vertical', left: 0, top: 'middle' },
      series: [{ type: 'pie', radius: ['38%', '62%'], center: ['62%', '50%'], label: { formatter: '{d}%' }, labelLine: { length: 6, length2: 6 }, data: data.split }]
    });
    window.addEventListener('resize', function () { split.resize(); });
  }
  document.documentElement.setAttribute('data-charts', 'ready');
})();
