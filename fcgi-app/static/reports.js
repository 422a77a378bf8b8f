/* 数据报表: the chart above the table, drawn with Apache ECharts from the
 * report's JSON (the same query as the page), and "roll up now" (a POST
 * with the page's CSRF token, then the page again). The table, the exports
 * and the drill-down links are the server's. */
(function () {
  'use strict';

  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  /* What each dimension's chart shows: counts as bars, a percentage as a
   * line on the right axis. */
  var series = {
    center: ['offered', 'handled', 'abandoned', 'sl'],
    group: ['offered', 'handled', 'abandoned', 'sl'],
    number: ['offered', 'handled', 'abandoned', 'sl'],
    agent: ['offered', 'handled', 'out_connected', 'occupancy'],
    node: ['offered', 'abandoned'],
    task: ['out_placed', 'out_answered', 'out_connected'],
  };

  function draw(el, data) {
    var ids = series[data.dim] || ['offered'];
    var label = {};
    data.metrics.forEach(function (m) { label[m.id] = m.label; });
    /* One category per period for the center; per name otherwise (summed
     * over the periods, which the table shows one by one). */
    var cats = [], sums = {};
    data.rows.forEach(function (r) {
      var c = data.dim === 'center' ? r.period : r.name || r.key;
      if (!(c in sums)) { cats.push(c); sums[c] = {}; }
      ids.forEach(function (id) {
        var v = r.values[id];
        if (v === null || v === undefined) return;
        sums[c][id] = (sums[c][id] || 0) + v;
      });
    });
    var chart = window.echarts.init(el, null, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 32, bottom: 48 },
      xAxis: { type: 'category', data: cats, axisLabel: { hideOverlap: true } },
      yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } }],
      series: ids.map(function (id) {
        var pct = data.metrics.some(function (m) { return m.id === id && m.kind === 'P'; });
        return {
          name: label[id] || id,
          type: pct ? 'line' : 'bar',
          yAxisIndex: pct ? 1 : 0,
          data: cats.map(function (c) {
            var v = sums[c][id];
            return v === undefined ? null : Math.round(v * 10) / 10;
          }),
        };
      }),
    });
    el.setAttribute('data-drawn', String(cats.length));
    window.addEventListener('resize', function () { chart.resize(); });
  }

  var el = document.getElementById('reports-chart');
  if (el && window.echarts) {
    fetch(el.getAttribute('data-api'), { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (d) { if (d.ok) draw(el, d); })
      .catch(function () { el.setAttribute('data-drawn', 'failed'); });
  }

  var refresh = document.getElementById('reports-refresh');
  if (refresh) {
    refresh.addEventListener('click', function () {
      refresh.disabled = true;
      fetch('/cc/api/admin/reports/refresh', {
        method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf },
      }).then(function (r) { return r.json(); }).then(function (d) {
        if (d.ok) window.location.reload();
        else { refresh.disabled = false; refresh.textContent = window.cc.t('report.refresh_failed'); }
      }).catch(function () { refresh.disabled = false; });
    });
  }
})();
