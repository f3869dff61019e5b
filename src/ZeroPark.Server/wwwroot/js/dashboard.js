// Dashboards of cards: draws each card from the energy REST routes (the user's session cookie, same access rules as the API) and
// saves the card list with PUT /api/parks/{park}/dashboards/{id} (add, remove and reorder are one save of the whole list).
(function () {
  'use strict';
  var block = document.getElementById('dash-config');
  var grid = document.getElementById('dash-grid');
  if (!block || !grid || typeof echarts === 'undefined') return;
  var cfg = JSON.parse(block.textContent);
  var zh = cfg.lang === 'zh-CN';
  var T = cfg.texts;
  var cards = cfg.dashboard.cards.slice();
  var charts = {};
  var api = '/api/parks/' + encodeURIComponent(cfg.park);
  var font = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var palette = ['#0f7b6c', '#2f6fde', '#e0a030', '#8e6cc8', '#b0b8c2', '#19a88f', '#d9534f', '#5b8def', '#6fbf73', '#c98c3d'];
  var nf0 = new Intl.NumberFormat(zh ? 'zh-CN' : 'en', { maximumFractionDigits: 0 });
  var nf1 = new Intl.NumberFormat(zh ? 'zh-CN' : 'en', { maximumFractionDigits: 1 });
  var nf3 = new Intl.NumberFormat(zh ? 'zh-CN' : 'en', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  var spaceNames = {};
  cfg.spaces.forEach(function (s) { spaceNames[s.code] = s.name; });
  var systemNames = {};
  cfg.systems.forEach(function (s) { systemNames[s.code] = s.name; });

  // ---- periods (relative to the park's latest day with data) ----
  function iso(d) { return d.toISOString().slice(0, 10); }
  function parse(s) { var p = s.split('-'); return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2])); }
  function range(period) {
    var to = parse(cfg.as_of), from = new Date(to.getTime());
    if (period === '7d') from.setUTCDate(from.getUTCDate() - 6);
    else if (period === '30d') from.setUTCDate(from.getUTCDate() - 29);
    else if (period === 'mtd') from.setUTCDate(1);
    else if (period === 'ytd') { from.setUTCMonth(0); from.setUTCDate(1); }
    return { from: iso(from), to: iso(to) };
  }
  function q(params) {
    return Object.keys(params).filter(function (k) { return params[k] !== null && params[k] !== undefined && params[k] !== ''; })
      .map(function (k) { return k + '=' + encodeURIComponent(params[k]); }).join('&');
  }
  function getJson(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) {
      if (!r.ok) return r.json().catch(function () { return {}; }).then(function (p) { throw new Error(p.detail || p.title || ('HTTP ' + r.status)); });
      return r.json();
    });
  }

  // ---- labels ----
  var kpiUnits = { pue: '', wue: 'L/kWh', clf: '', plf: '', energy: 'kWh', it: 'kWh', cooling: 'kWh', grid: 'kWh', water: 'm³', completeness: '%' };
  function nodeName(c) { return c.node ? (spaceNames[c.node] || c.node) : T['dash.park']; }
  function defaultTitle(c) {
    if (c.type === 'kpi') return T['dash.metric.' + c.metric];
    if (c.type === 'trend') {
      if (c.meter) return c.meter;
      if (c.system) return (systemNames[c.system] || c.system) + ' · ' + T['dash.type.trend'];
      return T['dash.metric.' + c.metric] + ' · ' + T['dash.type.trend'];
    }
    if (c.type === 'ranking') return T['dash.type.ranking'] + (c.system ? ' · ' + (systemNames[c.system] || c.system) : '') + ' TOP ' + (c.n || 10);
    return T['dash.type.' + c.type];
  }
  function subtitle(c) {
    var r = range(c.period);
    var span = r.from === r.to ? r.to.slice(5) : r.from.slice(5) + ' – ' + r.to.slice(5);
    return (c.meter ? '' : nodeName(c) + ' · ') + T['dash.period.' + c.period] + ' (' + span + ')';
  }
  function fmt(v, metric) {
    if (v === null || v === undefined) return '—';
    if (metric === 'pue' || metric === 'clf' || metric === 'plf' || metric === 'wue') return nf3.format(v);
    if (metric === 'completeness') return nf1.format(v);
    return Math.abs(v) >= 1000 ? nf0.format(v) : nf1.format(v);
  }

  // ---- card shells ----
  function button(label, cls, testid, onclick) {
    var b = document.createElement('button');
    b.type = 'button'; b.className = 'icon ' + cls; b.title = label; b.setAttribute('aria-label', label); b.setAttribute('data-testid', testid);
    b.textContent = cls === 'up' ? '↑' : cls === 'down' ? '↓' : '×';
    b.addEventListener('click', onclick);
    return b;
  }
  function render() {
    Object.keys(charts).forEach(function (k) { charts[k].dispose(); });
    charts = {};
    grid.innerHTML = '';
    cards.forEach(function (c, i) {
      var el = document.createElement('section');
      el.className = 'dcard dcard-' + c.type + (c.type === 'sankey' ? ' wide' : '');
      el.setAttribute('data-testid', 'card');
      el.setAttribute('data-card-id', c.id);
      el.setAttribute('data-card-type', c.type);
      var head = document.createElement('header');
      var titles = document.createElement('div');
      titles.className = 'dcard-titles';
      var h = document.createElement('h3'); h.textContent = c.title || defaultTitle(c); h.setAttribute('data-testid', 'card-title');
      var s = document.createElement('div'); s.className = 'muted small'; s.textContent = subtitle(c);
      titles.appendChild(h); titles.appendChild(s);
      var tools = document.createElement('div');
      tools.className = 'dcard-tools';
      if (i > 0) tools.appendChild(button(T['dash.up'], 'up', 'card-up', function () { move(i, -1); }));
      if (i < cards.length - 1) tools.appendChild(button(T['dash.down'], 'down', 'card-down', function () { move(i, 1); }));
      tools.appendChild(button(T['dash.remove'], 'remove', 'card-remove', function () { cards.splice(i, 1); save(); }));
      head.appendChild(titles); head.appendChild(tools);
      var body = document.createElement('div');
      body.className = 'dcard-body';
      body.innerHTML = '<div class="muted small loading">' + T['dash.loading'] + '</div>';
      el.appendChild(head); el.appendChild(body);
      grid.appendChild(el);
      load(c, body).then(function () { el.setAttribute('data-ready', '1'); }, function (e) {
        body.innerHTML = '';
        var m = document.createElement('div'); m.className = 'alert error small'; m.textContent = T['dash.failed'] + ': ' + e.message;
        body.appendChild(m); el.setAttribute('data-ready', 'error');
      }).then(checkReady);
    });
    checkReady();
  }
  function checkReady() {
    var all = grid.querySelectorAll('[data-testid=card]').length, done = grid.querySelectorAll('[data-ready]').length;
    if (done === all) document.documentElement.setAttribute('data-charts', 'ready');
    else document.documentElement.removeAttribute('data-charts');
  }
  function move(i, d) {
    var c = cards.splice(i, 1)[0];
    cards.splice(i + d, 0, c);
    save();
  }

  // ---- card contents ----
  function chartIn(body, c, option, cls) {
    body.innerHTML = '';
    var div = document.createElement('div'); div.className = 'dchart ' + (cls || '');
    body.appendChild(div);
    var chart = echarts.init(div, null, { renderer: 'svg' });
    option.animation = false;
    option.textStyle = { fontFamily: font };
    option.color = palette;
    chart.setOption(option);
    charts[c.id] = chart;
  }
  function noData(body) { body.innerHTML = '<div class="muted nodata">' + T['dash.nodata'] + '</div>'; }

  function kpiValue(row, m) {
    if (!row) return null;
    var i = row.inputs || {};
    switch (m) {
      case 'energy': return i.total_kwh; case 'it': return i.it_kwh; case 'cooling': return i.cooling_kwh; case 'grid': return i.facility_input_kwh;
      case 'water': return i.water_m3; case 'completeness': return row.completeness; default: return row[m];
    }
  }
  function previousRange(period) {
    // the period of equal length just before (for the tile's comparison)
    var r = range(period), from = parse(r.from), to = parse(r.to);
    var days = Math.round((to - from) / 86400000) + 1;
    var pto = new Date(from.getTime()); pto.setUTCDate(pto.getUTCDate() - 1);
    var pfrom = new Date(pto.getTime()); pfrom.setUTCDate(pfrom.getUTCDate() - days + 1);
    return { from: iso(pfrom), to: iso(pto) };
  }

  function load(c, body) {
    var r = range(c.period);
    if (c.type === 'kpi') {
      var p = previousRange(c.period);
      var cur = getJson(api + '/energy/kpi?' + q({ node: c.node, from: r.from, to: r.to, by: 'total' }));
      var prev = c.metric === 'completeness' ? Promise.resolve([]) :
        getJson(api + '/energy/kpi?' + q({ node: c.node, from: p.from, to: p.to, by: 'total' })).catch(function () { return []; });
      return Promise.all([cur, prev]).then(function (x) {
        var v = kpiValue(x[0][0], c.metric), pv = kpiValue(x[1][0], c.metric);
        body.innerHTML = '';
        var val = document.createElement('div'); val.className = 'kpi-value'; val.setAttribute('data-testid', 'kpi-value');
        val.setAttribute('data-value', v === null || v === undefined ? '' : String(v));
        val.textContent = fmt(v, c.metric);
        var unit = document.createElement('span'); unit.className = 'kpi-unit'; unit.textContent = kpiUnits[c.metric] ? ' ' + kpiUnits[c.metric] : '';
        val.appendChild(unit);
        body.appendChild(val);
        if (v !== null && v !== undefined && pv !== null && pv !== undefined && pv !== 0) {
          var d = (v - pv) / Math.abs(pv) * 100;
          var delta = document.createElement('div');
          // for energy and ratios a rise is bad; for completeness it is good
          delta.className = 'kpi-delta ' + (Math.abs(d) < 0.05 ? '' : (d > 0) === (c.metric !== 'completeness') ? 'up-bad' : 'down-good');
          delta.textContent = (d > 0 ? '▲ ' : d < 0 ? '▼ ' : '') + nf1.format(Math.abs(d)) + ' %  ' + T['dash.prev'] + ' ' + fmt(pv, c.metric) + (kpiUnits[c.metric] ? ' ' + kpiUnits[c.metric] : '');
          body.appendChild(delta);
        }
      });
    }
    if (c.type === 'trend') {
      var url, pick, unit;
      if (c.meter || c.system) {
        url = api + '/series?' + q(c.meter ? { meter: c.meter, from: r.from, to: r.to, by: 'day' } : { space: c.node, system: c.system, from: r.from, to: r.to, by: 'day' });
        return getJson(url).then(function (s) {
          var b = s.buckets || [];
          if (!b.length) return noData(body);
          line(body, c, b.map(function (x) { return x.start.slice(5, 10); }), b.map(function (x) { return x.value; }), s.unit, true);
        });
      }
      url = api + '/energy/kpi?' + q({ node: c.node, from: r.from, to: r.to, by: 'day' });
      return getJson(url).then(function (rows) {
        if (!rows.length) return noData(body);
        // a day without any reading is a gap in the line, not a zero
        pick = function (x) { return x.completeness === 0 ? null : c.metric === 'energy' ? x.inputs.total_kwh : x[c.metric]; };
        unit = c.metric === 'energy' ? 'kWh' : c.metric === 'wue' ? 'L/kWh' : '';
        line(body, c, rows.map(function (x) { return x.start.slice(5, 10); }), rows.map(pick), unit, c.metric === 'energy');
      });
    }
    if (c.type === 'ranking') {
      return getJson(api + '/energy/top?' + q({ node: c.node, system: c.system, from: r.from, to: r.to, n: c.n || 10 })).then(function (rows) {
        if (!rows.length) return noData(body);
        rows = rows.slice().reverse();
        chartIn(body, c, {
          grid: { left: 8, right: 70, top: 6, bottom: 6, containLabel: true },
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: function (v) { return nf0.format(v) + ' kWh'; } },
          xAxis: { type: 'value', axisLabel: { formatter: function (v) { return nf0.format(v); } }, splitLine: { lineStyle: { color: '#eef1f4' } } },
          yAxis: { type: 'category', data: rows.map(function (x) { return x.name; }), axisLabel: { width: 150, overflow: 'truncate' } },
          series: [{ type: 'bar', data: rows.map(function (x) { return x.value; }), barMaxWidth: 16, itemStyle: { color: '#2f6fde', borderRadius: [0, 3, 3, 0] },
            label: { show: true, position: 'right', formatter: function (p) { return nf0.format(p.value) + ' kWh'; }, color: '#6b7785', fontSize: 11 } }]
        }, rows.length > 10 ? 'tall' : '');
      });
    }
    if (c.type === 'breakdown') {
      return getJson(api + '/energy/breakdown?' + q({ node: c.node, from: r.from, to: r.to, by: 'total' })).then(function (rows) {
        var b = rows[0];
        if (!b || !b.total_kwh) return noData(body);
        var parts = [['it', b.it_kwh], ['cooling', b.cooling_kwh], ['power', b.power_kwh], ['aux', b.aux_kwh], ['unmetered', b.unmetered_kwh]]
          .filter(function (x) { return x[1] > 0; }).map(function (x) { return { name: T['sub.' + x[0]], value: x[1] }; });
        if (c.chart === 'bar') {
          chartIn(body, c, {
            grid: { left: 8, right: 16, top: 24, bottom: 6, containLabel: true },
            tooltip: { trigger: 'axis', valueFormatter: function (v) { return nf0.format(v) + ' kWh'; } },
            xAxis: { type: 'category', data: parts.map(function (x) { return x.name; }) },
            yAxis: { type: 'value', name: 'kWh', axisLabel: { formatter: function (v) { return nf0.format(v); } }, splitLine: { lineStyle: { color: '#eef1f4' } } },
            series: [{ type: 'bar', barMaxWidth: 40, data: parts.map(function (x, k) { return { value: x.value, itemStyle: { color: palette[k] } }; }),
              label: { show: true, position: 'top', formatter: function (p) { return nf1.format(p.value / b.total_kwh * 100) + ' %'; }, color: '#6b7785' } }]
          });
        } else {
          chartIn(body, c, {
            tooltip: { trigger: 'item', formatter: function (p) { return p.name + '<br/>' + nf0.format(p.value) + ' kWh (' + nf1.format(p.percent) + ' %)'; } },
            legend: { orient: 'vertical', right: 4, top: 'middle', icon: 'circle', itemWidth: 9, formatter: function (n) {
              var x = parts.filter(function (y) { return y.name === n; })[0];
              return n + '  ' + nf1.format(x.value / b.total_kwh * 100) + ' %';
            } },
            series: [{ type: 'pie', radius: ['45%', '72%'], center: ['32%', '50%'], label: { show: false }, data: parts }],
            // the total in the hole, centred on the pie's centre (a title block with textAlign centre is centred on 'left')
            title: { text: nf0.format(b.total_kwh), subtext: 'kWh', left: '32%', top: 'middle', textAlign: 'center', itemGap: 2, textStyle: { fill: '#1d2733', color: '#1d2733', fontSize: 13, fontWeight: 600 }, subtextStyle: { color: '#5b6775', fontSize: 11 } }
          });
        }
      });
    }
    // sankey
    return getJson(api + '/energy/flow?' + q({ node: c.node, from: r.from, to: r.to, by: 'total' })).then(function (flows) {
      var f = flows[0];
      if (!f || !f.links.some(function (k) { return k.kwh > 0; })) return noData(body);
      var labels = {};
      var colors = { source: '#0f7b6c', hub: '#2f6fde', load: '#19a88f', loss: '#e0a030', export: '#8e6cc8', unmetered: '#b0b8c2' };
      f.nodes.forEach(function (n) { labels[n.id] = zh ? n.name_zh : n.name_en; });
      var used = {};
      f.links.forEach(function (k) { if (k.kwh > 0) { used[k.source] = 1; used[k.target] = 1; } });
      chartIn(body, c, {
        tooltip: { trigger: 'item', formatter: function (p) {
          if (p.dataType === 'edge') return labels[p.data.source] + ' → ' + labels[p.data.target] + '<br/>' + nf0.format(p.data.value) + ' kWh';
          return labels[p.name] + '<br/>' + nf0.format(p.value) + ' kWh';
        } },
        series: [{
          type: 'sankey', left: 8, right: 190, top: 8, bottom: 8, nodeGap: 12, emphasis: { focus: 'adjacency' },
          lineStyle: { color: 'gradient', curveness: 0.5, opacity: 0.35 },
          label: { formatter: function (p) { return labels[p.name] + '  ' + nf0.format(p.value) + ' kWh'; } },
          data: f.nodes.filter(function (n) { return used[n.id]; }).map(function (n) { return { name: n.id, itemStyle: { color: colors[n.kind] || '#6b7785' } }; }),
          links: f.links.filter(function (k) { return k.kwh > 0; }).map(function (k) { return { source: k.source, target: k.target, value: k.kwh }; })
        }]
      }, 'tall');
    });
  }

  function line(body, c, x, y, unit, area) {
    var isRatio = unit === '' || unit === 'L/kWh';
    chartIn(body, c, {
      grid: { left: 8, right: 16, top: 28, bottom: 6, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return v === null || v === undefined ? '—' : (isRatio ? nf3.format(v) : nf0.format(v)) + (unit ? ' ' + unit : ''); } },
      xAxis: { type: 'category', data: x, boundaryGap: !area, axisLabel: { color: '#6b7785' } },
      yAxis: { type: 'value', name: unit, scale: isRatio, minInterval: isRatio ? 0.01 : 0, axisLabel: { formatter: function (v) { return isRatio ? v.toFixed(2) : nf0.format(v); } }, splitLine: { lineStyle: { color: '#eef1f4' } } },
      series: [{ type: 'line', data: y, smooth: true, showSymbol: x.length <= 31, symbolSize: 5, connectNulls: false,
        lineStyle: { width: 2, color: isRatio ? '#2f6fde' : '#0f7b6c' }, itemStyle: { color: isRatio ? '#2f6fde' : '#0f7b6c' },
        areaStyle: area ? { color: 'rgba(15,123,108,0.10)' } : undefined }]
    });
  }

  // ---- saving ----
  var savedEl = document.getElementById('dash-saved');
  var errEl = document.getElementById('dash-error');
  function save() {
    savedEl.textContent = T['dash.saving'];
    errEl.hidden = true;
    return fetch(api + '/dashboards/' + cfg.dashboard.id, {
      method: 'PUT', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ cards: cards })
    }).then(function (r) {
      return r.json().then(function (d) {
        if (!r.ok) {
          var msg = d.errors ? Object.keys(d.errors).map(function (k) { return d.errors[k].join(' '); }).join(' ') : (d.detail || d.title);
          throw new Error(msg);
        }
        cards = d.cards;
        savedEl.textContent = T['dash.saved'] + ' · ' + new Date().toLocaleTimeString(zh ? 'zh-CN' : 'en');
        render();
        return true;
      });
    }).catch(function (e) {
      errEl.textContent = e.message; errEl.hidden = false; savedEl.textContent = '';
      cards = cfg.dashboard.cards.slice();
      return false;
    }).then(function (ok) { if (ok) cfg.dashboard.cards = cards.slice(); return ok; });
  }

  // ---- the add-card form ----
  var panel = document.getElementById('add-card');
  var form = document.getElementById('add-card-form');
  var nodeSel = form.elements.node, sysSel = form.elements.system;
  cfg.spaces.forEach(function (s) {
    var o = document.createElement('option'); o.value = s.code;
    o.textContent = (s.level === 'floor' ? '　' : s.level === 'room' ? '　　' : s.level === 'rack' ? '　　　' : '') + s.name + ' (' + s.code + ')';
    nodeSel.appendChild(o);
  });
  cfg.systems.forEach(function (s) {
    var o = document.createElement('option'); o.value = s.code; o.textContent = (s.code.indexOf('.') > 0 ? '　' : '') + s.name; sysSel.appendChild(o);
  });
  function syncForm() {
    var type = form.elements.type.value;
    form.querySelectorAll('[data-for]').forEach(function (l) { l.hidden = l.getAttribute('data-for').split(' ').indexOf(type) < 0; });
    Array.prototype.forEach.call(form.elements.metric.options, function (o) { o.hidden = type === 'trend' && o.getAttribute('data-trend') !== '1'; });
    if (type === 'trend' && form.elements.metric.selectedOptions[0].hidden) form.elements.metric.value = 'energy';
    Array.prototype.forEach.call(form.elements.period.options, function (o) { o.disabled = type === 'trend' && o.value === 'day'; });
    if (type === 'trend' && form.elements.period.value === 'day') form.elements.period.value = '30d';
  }
  form.elements.type.addEventListener('change', syncForm);
  document.getElementById('add-card-open').addEventListener('click', function () { panel.hidden = !panel.hidden; syncForm(); });
  document.getElementById('add-card-cancel').addEventListener('click', function () { panel.hidden = true; });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var e = form.elements, type = e.type.value;
    var card = { id: 'c' + Date.now().toString(36), type: type, period: e.period.value };
    if (e.title.value.trim()) card.title = e.title.value.trim();
    if (e.node.value && type !== 'trend' || e.node.value && !e.meter.value.trim()) card.node = e.node.value;
    if (type === 'kpi') card.metric = e.metric.value;
    if (type === 'trend') {
      if (e.meter.value.trim()) card.meter = e.meter.value.trim();
      else if (e.system.value) card.system = e.system.value;
      else card.metric = e.metric.value;
    }
    if (type === 'ranking') { card.n = parseInt(e.n.value, 10) || 10; if (e.system.value) card.system = e.system.value; }
    if (type === 'breakdown') card.chart = e.chart.value;
    cards.push(card);
    save().then(function (ok) { if (ok) { panel.hidden = true; form.reset(); syncForm(); } });
  });
  var del = document.querySelector('[data-testid=delete-dashboard-form]');
  if (del) del.addEventListener('submit', function (ev) { if (!window.confirm(T['dash.delete.confirm'])) ev.preventDefault(); });

  window.addEventListener('resize', function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  render();
})();
