// Evaluation page: the score breakdown as a bar chart (score vs maximum per group) from the JSON block #eval-data.
(function () {
  'use strict';
  if (typeof echarts === 'undefined') return;
  var el = document.getElementById('eval-chart'), block = document.getElementById('eval-data');
  if (!el || !block) return;
  var d = JSON.parse(block.textContent);
  var chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' },
    color: ['#0f7b6c', '#d5dde6'],
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', splitLine: { lineStyle: { color: '#eef1f4' } } },
    yAxis: { type: 'category', data: d.names, inverse: true, axisLabel: { width: 140, overflow: 'truncate' } },
    series: [
      { name: d.labels.score, type: 'bar', data: d.scores, barMaxWidth: 18, label: { show: true, position: 'right' } },
      { name: d.labels.max, type: 'bar', data: d.max, barMaxWidth: 18, barGap: '-100%', z: -1 }
    ]
  });
  el.setAttribute('data-drawn', 'true');
  window.addEventListener('resize', function () { chart.resize(); });
})();
