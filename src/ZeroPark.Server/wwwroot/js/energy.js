// Energy page: the energy-flow Sankey (Apache ECharts, served from this server). Data from the JSON block #flow-data.
(function () {
  'use strict';
  var block = document.getElementById('flow-data');
  var el = document.getElementById('flow-chart');
  if (!block || !el || typeof echarts === 'undefined') return;
  var data = JSON.parse(block.textContent);
  var zh = data.lang === 'zh-CN';
  var nf = new Intl.NumberFormat(zh ? 'zh-CN' : 'en', { maximumFractionDigits: data.unit === 'm³' ? 1 : 0 });
  var unit = data.unit || 'kWh';
  var labels = {};
  var colors = { source: '#0f7b6c', hub: '#2f6fde', load: '#19a88f', loss: '#e0a030', export: '#8e6cc8', unmetered: '#b0b8c2' };
  data.nodes.forEach(function (n) { labels[n.name] = n.label; });
  // The widest label (name, a value of up to 9 digits and the unit, at 12 px: ~13 px per CJK character, ~7 px otherwise)
  // decides the right margin, at most 40 % of the chart.
  var textWidth = function (s) { var w = 0; for (var i = 0; i < s.length; i++) w += s.charCodeAt(i) > 0x2e80 ? 13 : 7; return w; };
  var widest = data.nodes.reduce(function (m, n) { return Math.max(m, textWidth(n.label || n.name)); }, 0);
  var labelRoom = Math.min(Math.round(el.clientWidth * 0.4), widest + textWidth('  123,456,789 ' + unit) + 16);
  var chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' },
    tooltip: {
      trigger: 'item',
      formatter: function (p) {
        if (p.dataType === 'edge') return labels[p.data.source] + ' → ' + labels[p.data.target] + '<br/>' + nf.format(p.data.value) + ' ' + unit;
        return labels[p.name] + '<br/>' + nf.format(p.value) + ' ' + unit;
      }
    },
    series: [{
      type: 'sankey',
      // room on the right for the last column's labels (name + value + unit), so they are not cut at the edge
      left: 10, right: labelRoom, top: 10, bottom: 10,
      nodeGap: 14,
      emphasis: { focus: 'adjacency' },
      lineStyle: { color: 'gradient', curveness: 0.5, opacity: 0.35 },
      label: { formatter: function (p) { return labels[p.name] + '  ' + nf.format(p.value) + ' ' + unit; } },
      data: data.nodes.map(function (n) { return { name: n.name, itemStyle: { color: colors[n.kind] || '#6b7785' } }; }),
      links: data.links
    }]
  });
  window.addEventListener('resize', function () { chart.resize(); });
  document.documentElement.setAttribute('data-charts', 'ready');
})();
