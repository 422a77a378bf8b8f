/* 流程管理 > IVR流程 > a flow: the visual editor (templates/ivr_editor.xsl).
 *
 * The canvas is AntV X6 (/cc/static/vendor/x6.min.js): a node per flow
 * node at its x/y, a port per exit (a menu's keys and a branch's cases
 * come and go with the panel), an edge per connected exit. A node's flow
 * model (ivr-flow.js) is its cell's data, so X6's history undoes every
 * change, the panel's included. The document is written from the graph
 * (ivr-flow.js serialize) and goes through the console's API
 * (docs/ivr.md): the edit lock taken on opening and renewed every minute,
 * the draft saved with its revision, a document validated, the draft
 * published, a test call simulated. Another admin's lock makes the page
 * read-only. Everything is written with textContent. */
(function () {
  'use strict';

  var $ = cc.$, t = cc.t, F = window.ivrFlow;
  var root = $('ivr-editor');
  if (!root || !F || !window.X6) return;
  var X6 = window.X6;
  var flowId = root.getAttribute('data-id');
  var apiBase = root.getAttribute('data-api') + '/flows/' + flowId;
  var refsUrl = root.getAttribute('data-api') + '/refs';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  var state = {
    rev: null, readonly: true, dirty: false, model: null, refs: { audio: [], groups: [], agents: [], flows: [] },
    lockTimer: null, locked: false, problems: [], sim: [], busy: false, unknown: [],
  };
  var graph = null;
  var hist = null, sel = null, kb = null;	/* X6's plugins: history, selection, keyboard */
  var ord = 0;

  /* --- the API ----------------------------------------------------------------- */

  function api(method, url, body) {
    var opts = { method: method, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf } };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    return fetch(url, opts).then(function (res) {
      return res.json().catch(function () { return { ok: false, message: t('ivred.failed') }; })
        .then(function (j) { j.status = res.status; return j; });
    }, function () { return { ok: false, status: 0, message: t('ivred.failed') }; });
  }

  function message(text, kind) {
    var m = $('ivr-message');
    m.textContent = text;
    m.className = 'banner ' + (kind === 'ok' ? 'banner-ok' : kind === 'warn' ? 'banner-warn' : 'alert-error');
    m.setAttribute('data-kind', kind || 'bad');
    m.hidden = !text;
  }

  function fill(text, k, v) { return text.split('{' + k + '}').join(v); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function typeName(type) { return t('ivred.type.' + type); }

  /* --- the canvas ---------------------------------------------------------------- */

  var COLORS = {
    start: '#389e0d', play: '#1677ff', menu: '#1677ff', collect: '#1677ff', survey: '#1677ff',
    branch: '#d48806', time: '#d48806', set: '#d48806', http: '#722ed1', subflow: '#722ed1',
    queue: '#08979c', agent: '#08979c', dial: '#08979c', voicemail: '#08979c', hangup: '#8c8c8c', end: '#8c8c8c',
  };
  var W = 210, HEAD = 46, ROW = 22;

  function exitLabel(n, x) {
    if (x.list === 'key') return fill(t('ivred.exit.key'), 'digit', x.item.digit || '?');
    if (x.list === 'case') return fill(t('ivred.exit.case'), 'n', String(x.index + 1));
    return t('ivred.exit.' + x.name) + (x.optional ? ' ' + t('ivred.optional') : '');
  }

  function heightOf(n) { return Math.max(HEAD + 12, HEAD + F.exitsOf(n).length * ROW); }

  function titleOf(n) {
    return typeName(n.type) + '\n' + n.id + (n.label ? ' · ' + n.label : '');
  }

  function portsOf(n) {
    return F.exitsOf(n).map(function (x, i) {
      return {
        id: x.port, group: 'out', args: { x: W, y: HEAD + i * ROW + ROW / 2 - 6 },
        attrs: { text: { text: exitLabel(n, x) } },
      };
    });
  }

  function nodeConfig(n) {
    return {
      shape: 'rect', x: n.x, y: n.y, width: W, height: heightOf(n),
      attrs: {
        body: { fill: '#fff', stroke: COLORS[n.type], strokeWidth: 1.5, rx: 6, ry: 6, 'data-node': n.id },
        label: { text: titleOf(n), refX: 10, refY: 8, textAnchor: 'start', textVerticalAnchor: 'top',
          fontSize: 13, fill: '#262626' },
      },
      ports: {
        groups: {
          out: {
            position: 'absolute',
            label: { position: { name: 'left', args: { x: -10 } } },
            attrs: {
              circle: { r: 6, magnet: true, stroke: COLORS[n.type], strokeWidth: 1.5, fill: '#fff' },
              text: { fontSize: 12, fill: '#595959' },
            },
          },
        },
        items: portsOf(n),
      },
      data: { m: strip(n), ord: ord++ },
    };
  }

  /* The node's model without its exits (the edges hold them). */
  function strip(n) {
    var m = JSON.parse(JSON.stringify(n));
    m.exits = {};
    Object.keys(m.items).forEach(function (k) { m.items[k].forEach(function (it) { delete it.next; }); });
    delete m.x; delete m.y;
    return m;
  }

  function modelOf(cell) { return JSON.parse(JSON.stringify(cell.getData().m)); }

  function cellByFid(fid) {
    var nodes = graph.getNodes();
    for (var i = 0; i < nodes.length; i++) if (nodes[i].getData().m.id === fid) return nodes[i];
    return null;
  }

  function edgeOf(cell, port) {
    var es = graph.getOutgoingEdges(cell) || [];
    for (var i = 0; i < es.length; i++) if (es[i].getSourcePortId() === port) return es[i];
    return null;
  }

  function addEdge(source, port, target) {
    return graph.addEdge({
      source: { cell: source.id, port: port }, target: { cell: target.id },
      attrs: { line: { stroke: '#8c8c8c', strokeWidth: 1.5, targetMarker: 'classic' } }, zIndex: -1,
    });
  }

  /* Applies a changed model to its node in one step of the history: the
   * data, the title, the ports (an exit gone takes its edge with it) and
   * the height. */
  function applyModel(cell, m) {
    graph.startBatch('edit');
    var before = {};
    cell.getPorts().forEach(function (p) { before[p.id] = true; });
    var want = portsOf(m);
    var keep = {};
    want.forEach(function (p) { keep[p.id] = true; });
    Object.keys(before).forEach(function (id) {
      if (keep[id]) return;
      var e = edgeOf(cell, id);
      if (e) graph.removeEdge(e);
      cell.removePort(id);
    });
    want.forEach(function (p) {
      if (before[p.id]) {
        cell.setPortProp(p.id, 'args', p.args);
        cell.setPortProp(p.id, 'attrs/text/text', p.attrs.text.text);
      } else {
        cell.addPort(p);
      }
    });
    cell.resize(W, heightOf(m));
    cell.attr('label/text', titleOf(m));
    cell.attr('body/data-node', m.id);
    cell.setData({ m: strip(m), ord: cell.getData().ord }, { overwrite: true });
    graph.stopBatch('edit');
    setDirty();
  }

  /* X6's plugins insert their style sheets as <style> elements, which the
   * console's Content-Security-Policy refuses (and reports); the page links
   * them as a file instead (vendor/x6.css, made by web/vendor.js). X6
   * inserts nothing while it believes a hot module replacement is being
   * applied, so the plugins are made under that belief, and only then. */
  function withoutStyleElements(fn) {
    if (window.module !== undefined) { fn(); return; }
    window.module = { hot: { status: function () { return 'apply'; } } };
    try { fn(); } finally { delete window.module; }
  }

  function buildGraph() {
    X6.Config.autoInsertCSS = false;
    graph = new X6.Graph({
      container: $('ivr-canvas'),
      autoResize: true,
      grid: { size: 10, visible: true },
      panning: { enabled: true, eventTypes: ['leftMouseDown'] },
      mousewheel: { enabled: true, modifiers: ['ctrl', 'meta'], minScale: 0.3, maxScale: 2 },
      background: { color: '#fafafa' },
      interacting: function () {
        return state.readonly ? { nodeMovable: false, edgeMovable: false, magnetConnectable: false,
          arrowheadMovable: false, vertexMovable: false, vertexAddable: false, vertexDeletable: false }
          : { nodeMovable: true, edgeMovable: false, edgeLabelMovable: false };
      },
      connecting: {
        allowBlank: false, allowLoop: true, allowMulti: true, allowNode: true, allowEdge: false,
        allowPort: false, highlight: true, snap: { radius: 20 },
        connector: { name: 'rounded' }, router: { name: 'normal' },
        createEdge: function () {
          return graph.createEdge({ attrs: { line: { stroke: '#8c8c8c', strokeWidth: 1.5, targetMarker: 'classic' } }, zIndex: -1 });
        },
        validateMagnet: function () { return !state.readonly; },
        validateConnection: function (a) {
          return !state.readonly && !!a.targetCell && a.targetCell.isNode() && !a.targetMagnet;
        },
      },
      highlighting: {
        magnetAvailable: { name: 'stroke', args: { padding: 4, attrs: { stroke: '#52c41a', 'stroke-width': 2 } } },
      },
    });
    hist = new X6.History({ enabled: true, beforeAddCommand: function (ev, args) {
      /* Marks of checks and of a test call are views' classes, not the
       * model; tools come and go with the mouse. */
      return !(args && args.key === 'tools');
    } });
    graph.use(hist);
    withoutStyleElements(function () {
      sel = new X6.Selection({ enabled: true, multiple: true, rubberband: false, movable: true,
        showNodeSelectionBox: true, pointerEvents: 'none' });
      graph.use(sel);
      graph.use(new X6.Snapline({ enabled: true }));
    });
    kb = new X6.Keyboard({ enabled: true, global: true });
    graph.use(kb);

    kb.bindKey(['ctrl+z', 'meta+z'], function () { undo(); return false; });
    kb.bindKey(['ctrl+y', 'meta+y', 'ctrl+shift+z', 'meta+shift+z'], function () { redo(); return false; });
    kb.bindKey(['delete', 'backspace'], function () { removeSelected(); return false; });

    /* One exit leads to one node: a new edge replaces the port's old one. */
    graph.on('edge:connected', function (a) {
      var e = a.edge;
      var src = e.getSourceCell();
      var port = e.getSourcePortId();
      (graph.getOutgoingEdges(src) || []).forEach(function (o) {
        if (o !== e && o.getSourcePortId() === port) graph.removeEdge(o);
      });
      setDirty();
    });
    graph.on('edge:mouseenter', function (a) {
      if (!state.readonly) a.edge.addTools([{ name: 'button-remove', args: { distance: 0.5 } }]);
    });
    graph.on('edge:mouseleave', function (a) { a.edge.removeTools(); });
    graph.on('node:moved', setDirty);
    graph.on('edge:removed', setDirty);
    graph.on('selection:changed', function () { renderPanel(); });
    graph.on('history:change', function () {
      $('ivr-undo').disabled = state.readonly || !hist.canUndo();
      $('ivr-redo').disabled = state.readonly || !hist.canRedo();
    });
    graph.on('history:undo', afterHistory);
    graph.on('history:redo', afterHistory);
  }

  function afterHistory() { setDirty(); renderPanel(); }
  function undo() { if (!state.readonly && hist.canUndo()) hist.undo(); }
  function redo() { if (!state.readonly && hist.canRedo()) hist.redo(); }

  function removeSelected() {
    if (state.readonly) return;
    var cells = sel.getSelectedCells().filter(function (c) { return !(c.isNode() && c.getData().m.type === 'start'); });
    if (!cells.length) return;
    graph.startBatch('remove');
    graph.removeCells(cells);
    graph.stopBatch('remove');
    setDirty();
  }

  /* The model of the whole graph: every node with its exits from the
   * edges, in the order the nodes were read or added. */
  function graphModel() {
    var nodes = graph.getNodes().slice().sort(function (a, b) { return a.getData().ord - b.getData().ord; });
    var out = nodes.map(function (cell) {
      var m = modelOf(cell);
      var p = cell.getPosition();
      m.x = Math.round(p.x); m.y = Math.round(p.y);
      (graph.getOutgoingEdges(cell) || []).forEach(function (e) {
        var target = e.getTargetCell();
        if (!target) return;
        var fid = target.getData().m.id;
        var port = e.getSourcePortId() || '';
        var kind = port.slice(0, 2), key = port.slice(2);
        if (kind === 'x:') m.exits[key] = fid;
        Object.keys(m.items).forEach(function (tag) {
          m.items[tag].forEach(function (it) {
            if (it.uid && (kind === 'k:' || kind === 'c:') && it.uid === key) it.next = fid;
          });
        });
      });
      return m;
    });
    return { name: state.model.name, description: state.model.description, nodes: out };
  }

  function documentText() { return F.serialize(graphModel()); }

  /* Positions for nodes without x/y: columns by distance from the start. */
  function layout(m) {
    var byId = {};
    m.nodes.forEach(function (n) { byId[n.id] = n; });
    var depth = {}, queue = [];
    var start = m.nodes.filter(function (n) { return n.type === 'start'; })[0];
    if (start) { depth[start.id] = 0; queue.push(start); }
    while (queue.length) {
      var n = queue.shift();
      var next = Object.keys(n.exits).map(function (k) { return n.exits[k]; });
      Object.keys(n.items).forEach(function (k) { n.items[k].forEach(function (it) { if (it.next) next.push(it.next); }); });
      next.forEach(function (id) {
        if (byId[id] && depth[id] === undefined) { depth[id] = depth[n.id] + 1; queue.push(byId[id]); }
      });
    }
    var rows = {};
    m.nodes.forEach(function (n) {
      if (n.x !== null && n.y !== null && n.x !== undefined && n.y !== undefined) return;
      var d = depth[n.id] === undefined ? 0 : depth[n.id];
      rows[d] = (rows[d] || 0) + 1;
      n.x = 40 + d * 300;
      n.y = 40 + (rows[d] - 1) * 160;
    });
  }

  function load(m) {
    state.model = m;
    layout(m);
    hist.disable();
    graph.clearCells();
    var cells = {};
    m.nodes.forEach(function (n) { cells[n.id] = cells[n.id] || graph.addNode(nodeConfig(n)); });
    m.nodes.forEach(function (n) {
      var c = cells[n.id];
      F.exitsOf(n).forEach(function (x) {
        var target = x.item ? x.item.next : n.exits[x.name];
        if (target && cells[target]) addEdge(c, x.port, cells[target]);
      });
    });
    hist.enable();
    hist.clean();
    state.dirty = false;
    renderPanel();
    fitAll();
  }

  /* --- the palette -------------------------------------------------------------- */

  function freeId(type) {
    for (var i = 1; ; i++) if (!cellByFid(type + i)) return type + i;
  }

  /* A new node at x, y, or (without them) right of the others; the view
   * zooms to the whole flow when the node would be off the screen. */
  function addNodeAt(type, x, y) {
    if (state.readonly) return null;
    var n = F.newNode(type, freeId(type));
    var others = graph.getNodes();
    if (x === undefined) {
      var box = others.length ? graph.getCellsBBox(others) : null;
      x = box ? box.x + box.width + 60 : 40;
      y = box ? box.y : 40;
    }
    n.x = Math.round(x); n.y = Math.round(y);
    var cell = graph.addNode(nodeConfig(n));
    var r = graph.container.getBoundingClientRect();
    var tl = graph.clientToLocal(r.left, r.top), br = graph.clientToLocal(r.right, r.bottom);
    var b = cell.getBBox();
    if (b.x < tl.x || b.y < tl.y || b.x + b.width > br.x || b.y + b.height > br.y)
      fitAll();
    sel.clean();
    sel.select(cell);
    setDirty();
    return cell;
  }

  /* The whole flow in view (from the model: a new node's view may not be
   * drawn yet), at most at its natural size. */
  function fitAll() {
    var nodes = graph.getNodes();
    if (!nodes.length) return;
    var bb = graph.getCellsBBox(nodes);
    var r = graph.container.getBoundingClientRect();
    var k = Math.max(0.3, Math.min(1, (r.width - 60) / bb.width, (r.height - 60) / bb.height));
    graph.scale(k, k);
    graph.translate((r.width - bb.width * k) / 2 - bb.x * k, (r.height - bb.height * k) / 2 - bb.y * k);
  }

  function buildPalette() {
    var pal = $('ivr-palette');
    F.ORDER.forEach(function (type) {
      if (type === 'start') return;
      var b = el('button', 'btn ivr-pal-item', typeName(type));
      b.type = 'button';
      b.setAttribute('data-type', type);
      b.draggable = true;
      b.style.borderLeftColor = COLORS[type];
      b.addEventListener('click', function () {
        addNodeAt(type);
      });
      b.addEventListener('dragstart', function (e) { e.dataTransfer.setData('text/x-ivr-node', type); });
      pal.appendChild(b);
    });
    var canvas = $('ivr-canvas');
    canvas.addEventListener('dragover', function (e) { if (!state.readonly) e.preventDefault(); });
    canvas.addEventListener('drop', function (e) {
      var type = e.dataTransfer.getData('text/x-ivr-node');
      if (!type || !F.TYPES[type] || type === 'start') return;
      e.preventDefault();
      var p = graph.clientToLocal(e.clientX, e.clientY);
      addNodeAt(type, p.x - W / 2, p.y - 20);
    });
  }

  /* --- the side panel -------------------------------------------------------------- */

  function selectedNode() {
    var cells = sel.getSelectedCells().filter(function (c) { return c.isNode(); });
    return cells.length === 1 ? cells[0] : null;
  }

  function options(kind) {
    var r = state.refs;
    if (kind === 'audio') return r.audio.map(function (a) { return [String(a.id), a.name]; });
    if (kind === 'group') return r.groups.map(function (g) { return [String(g.id), g.name]; });
    if (kind === 'agent') return r.agents.map(function (a) {
      return [String(a.id), a.name + (a.extension ? ' (' + a.extension + ')' : '')];
    });
    if (kind === 'flow') return r.flows.filter(function (f) { return String(f.id) !== String(flowId); })
      .map(function (f) { return [String(f.id), f.name]; });
    return [];
  }

  /* An input for field f ([name, kind, required, extra]) holding value;
   * set(v) is called with the new text when it changes. */
  function input(f, value, set, idBase) {
    var kind = f[1], e;
    value = value === undefined || value === null ? '' : String(value);
    if (kind === 'audio' || kind === 'group' || kind === 'agent' || kind === 'flow' || kind === 'choice' || kind === 'bool') {
      e = el('select');
      var opts = kind === 'choice' ? f[3].map(function (v) { return [v, t('ivred.v.' + f[0] + '.' + v)]; })
        : kind === 'bool' ? [['true', t('ivred.yes')], ['false', t('ivred.no')]] : options(kind);
      var blank = !f[2] || value === '';
      if (blank) e.appendChild(opt('', f[2] ? t('ivred.pick') : t('ivred.default')));
      var found = value === '';
      opts.forEach(function (o) { e.appendChild(opt(o[0], o[1])); if (o[0] === value) found = true; });
      /* A value the pickers do not offer (deleted since, or written as
       * "1" for true) stays as it is. */
      if (!found) e.appendChild(opt(value, fill(t('ivred.missing'), 'v', value)));
      e.value = value;
    } else if (kind === 'template' && (f[0] === 'tts' || f[0] === 'body')) {
      e = el('textarea');
      e.rows = 3;
      e.value = value;
    } else {
      e = el('input');
      e.type = kind === 'int' ? 'number' : kind === 'date' ? 'date' : 'text';
      if (kind === 'int' && f[3]) { e.min = f[3][0]; e.max = f[3][1]; }
      if (kind === 'key1') e.maxLength = 1;
      e.value = value;
    }
    if (idBase) e.id = idBase;
    e.setAttribute('data-field', f[0]);
    e.disabled = state.readonly;
    e.addEventListener('change', function () { set(e.value); });
    return e;
  }

  function opt(v, text) { var o = el('option', null, text); o.value = v; return o; }

  function row(label, control, hint) {
    var r = el('label', 'ivr-field');
    r.appendChild(el('span', 'ivr-field-label', label));
    r.appendChild(control);
    if (hint) r.appendChild(el('span', 'ivr-field-hint', hint));
    return r;
  }

  function fieldLabel(name) { return t('ivred.f.' + name); }

  /* The whole panel of the selected node, or the flow's when none. */
  function renderPanel() {
    var panel = $('ivr-props');
    panel.textContent = '';
    var cell = graph && selectedNode();
    if (!cell) {
      panel.appendChild(el('p', 'muted', state.readonly ? t('ivred.readonly_hint') : t('ivred.select_hint')));
      return;
    }
    var m = modelOf(cell);
    panel.setAttribute('data-node', m.id);
    var head = el('div', 'ivr-props-head');
    head.appendChild(el('h2', null, typeName(m.type)));
    if (m.type !== 'start' && !state.readonly) {
      var del = el('button', 'btn btn-quiet', t('ivred.delete_node'));
      del.type = 'button';
      del.id = 'ivr-node-delete';
      del.addEventListener('click', function () { graph.removeCell(cell); setDirty(); });
      head.appendChild(del);
    }
    panel.appendChild(head);
    var probs = state.problems.filter(function (p) { return p.node === m.id; });
    if (probs.length) {
      var ul = el('ul', 'ivr-node-problems');
      probs.forEach(function (p) { ul.appendChild(el('li', null, p.message || p.code)); });
      panel.appendChild(ul);
    }

    function edit(fn) { var n = modelOf(cell); fn(n); applyModel(cell, n); }

    var idErr = el('span', 'field-error');
    var idIn = input(['id', 'text', true], m.id, function (v) {
      v = v.trim();
      if (!/^[A-Za-z_][A-Za-z0-9_-]{0,47}$/.test(v)) { idErr.textContent = t('ivred.err.id'); return; }
      var other = cellByFid(v);
      if (other && other !== cell) { idErr.textContent = t('ivred.err.id_taken'); return; }
      idErr.textContent = '';
      edit(function (n) { n.id = v; });
      renderPanel();
    }, 'ivr-f-id');
    var idRow = row(fieldLabel('id'), idIn);
    idRow.appendChild(idErr);
    panel.appendChild(idRow);
    panel.appendChild(row(fieldLabel('label'), input(['label', 'text'], m.label, function (v) {
      edit(function (n) { n.label = v.slice(0, 64); });
    }, 'ivr-f-label')));

    F.TYPES[m.type].fields.forEach(function (f) {
      panel.appendChild(row(fieldLabel(f[0]) + (f[2] ? ' *' : ''), input(f, m.attrs[f[0]], function (v) {
        edit(function (n) { n.attrs[f[0]] = v; });
      }, 'ivr-f-' + f[0])));
    });

    F.TYPES[m.type].lists.forEach(function (l) {
      var box = el('fieldset', 'ivr-list');
      box.setAttribute('data-list', l.tag);
      box.appendChild(el('legend', null, t('ivred.list.' + l.tag)));
      if (l.text) {
        var has = m.body !== null && m.body !== undefined;
        box.appendChild(input(['body', 'template'], has ? m.body : '', function (v) {
          edit(function (n) { n.body = v === '' ? null : v; });
        }, 'ivr-f-body'));
        panel.appendChild(box);
        return;
      }
      (m.items[l.tag] || []).forEach(function (it, i) {
        box.appendChild(itemEditor(m, l, it, i, edit));
      });
      if (!state.readonly) {
        var add = el('button', 'btn btn-quiet ivr-add', t('ivred.add.' + l.tag));
        add.type = 'button';
        add.setAttribute('data-add', l.tag);
        add.addEventListener('click', function () {
          edit(function (n) { n.items[l.tag].push(F.newItem(n.type, l.tag)); });
          renderPanel();
        });
        box.appendChild(add);
      }
      panel.appendChild(box);
    });
  }

  function removeButton(onClick) {
    var b = el('button', 'btn btn-quiet ivr-remove', '×');
    b.type = 'button';
    b.title = t('ivred.remove');
    b.setAttribute('aria-label', t('ivred.remove'));
    b.disabled = state.readonly;
    b.addEventListener('click', onClick);
    return b;
  }

  /* One item of a list (a prompt, a key, a case with its conditions, ...). */
  function itemEditor(m, l, it, i, edit) {
    var wrap = el('div', 'ivr-item');
    wrap.setAttribute('data-index', String(i));
    function set(name) {
      return function (v) { edit(function (n) { n.items[l.tag][i][name] = v; }); };
    }
    if (l.tag === 'prompt') {
      var isAudio = it.audio !== undefined && it.audio !== null;
      var kind = input(['kind', 'choice', true, ['audio', 'tts']], isAudio ? 'audio' : 'tts', function (v) {
        edit(function (n) { n.items.prompt[i] = v === 'audio' ? { audio: '' } : { tts: '' }; });
        renderPanel();
      });
      wrap.appendChild(kind);
      if (isAudio) wrap.appendChild(input(['audio', 'audio', true], it.audio, set('audio')));
      else {
        wrap.appendChild(input(['tts', 'template', true], it.tts, set('tts')));
        wrap.appendChild(input(['voice', 'choice', false, ['cmn', 'en']], it.voice, set('voice')));
      }
    } else {
      l.fields.forEach(function (f) {
        wrap.appendChild(row(fieldLabel(f[0]), input(f, it[f[0]], set(f[0]))));
      });
      if (l.sub) {
        (it.ifs || []).forEach(function (c, j) {
          var cw = el('div', 'ivr-cond');
          l.sub.fields.forEach(function (f) {
            cw.appendChild(input(f, c[f[0]], function (v) {
              edit(function (n) { n.items[l.tag][i].ifs[j][f[0]] = v; });
            }));
          });
          cw.appendChild(removeButton(function () {
            edit(function (n) { n.items[l.tag][i].ifs.splice(j, 1); });
            renderPanel();
          }));
          wrap.appendChild(cw);
        });
        if (!state.readonly) {
          var add = el('button', 'btn btn-quiet ivr-add', t('ivred.add.if'));
          add.type = 'button';
          add.addEventListener('click', function () {
            edit(function (n) { n.items[l.tag][i].ifs.push({ 'var': '', op: 'eq', value: '' }); });
            renderPanel();
          });
          wrap.appendChild(add);
        }
      }
    }
    wrap.appendChild(removeButton(function () {
      edit(function (n) { n.items[l.tag].splice(i, 1); });
      renderPanel();
    }));
    return wrap;
  }

  /* --- state, lock, save, check, publish ------------------------------------------------ */

  function setDirty() {
    if (!graph || state.readonly) return;
    state.dirty = true;
    $('ivr-dirty').hidden = false;
  }

  function showState(flow) {
    var s = $('ivr-state');
    s.textContent = t('ivred.state.' + flow.state);
    s.setAttribute('data-state', flow.state || '');
    var v = $('ivr-version');
    v.textContent = flow.published_version ? fill(t('ivred.version'), 'n', String(flow.published_version)) : '';
    v.setAttribute('data-version', flow.published_version || '');
  }

  function setReadonly(on, lock) {
    state.readonly = on;
    root.classList.toggle('ivr-readonly', on);
    ['ivr-save', 'ivr-publish', 'ivr-undo', 'ivr-redo'].forEach(function (id) { $(id).disabled = on; });
    Array.prototype.forEach.call(document.querySelectorAll('#ivr-palette button'), function (b) { b.disabled = on; });
    var banner = $('ivr-lock');
    if (lock) {
      var until = lock.until ? new Date(String(lock.until).replace(' ', 'T')) : null;
      banner.textContent = fill(fill(t('ivred.locked_by'), 'name', lock.user_name || lock.user_id || '?'), 'until',
        until && !isNaN(until) ? cc.clockOf(until.getTime()) : String(lock.until || ''));
      banner.setAttribute('data-holder', lock.user_name || lock.user_id || '');
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
    if (graph) {
      if (on) { kb.disable(); hist.disable(); } else { kb.enable(); hist.enable(); }
      renderPanel();
    }
  }

  function takeLock() {
    return api('POST', apiBase + '/lock').then(function (j) {
      if (j.status === 200 && j.ok !== false) {
        state.locked = true;
        return true;
      }
      state.locked = false;
      setReadonly(true, j.lock || (j.error === 'ivr.locked' ? {} : null));
      if (j.error !== 'ivr.locked') message(j.message || t('ivred.failed'));
      return false;
    });
  }

  function renewLock() {
    api('POST', apiBase + '/lock').then(function (j) {
      if (j.status === 200 && j.ok !== false) return;
      state.locked = false;
      clearInterval(state.lockTimer);
      setReadonly(true, j.lock || null);
      message(j.error === 'ivr.locked' ? t('ivred.lock_lost') : (j.message || t('ivred.failed')));
    });
  }

  /* Marks the problems on their nodes (red outline and a tooltip) and
   * lists them; a click on one selects its node. */
  function showProblems(problems) {
    state.problems = problems || [];
    graph.getNodes().forEach(function (c) {
      var v = graph.findViewByCell(c);
      if (!v) return;
      v.removeClass('ivr-problem');
      var old = v.container.querySelector('title.ivr-problem-tip');
      if (old) old.parentNode.removeChild(old);
      v.container.removeAttribute('data-problems');
    });
    var list = $('ivr-problems');
    list.textContent = '';
    $('ivr-problems-box').hidden = !state.problems.length;
    var byNode = {};
    state.problems.forEach(function (p) {
      var li = el('li', 'ivr-problem-item');
      li.setAttribute('data-code', p.code || '');
      li.setAttribute('data-node', p.node || '');
      if (p.node) li.appendChild(el('strong', null, p.node + ' '));
      li.appendChild(el('span', null, p.message || p.code));
      if (p.line) li.appendChild(el('span', 'muted', ' ' + fill(t('ivred.line'), 'n', String(p.line))));
      var cell = p.node ? cellByFid(p.node) : null;
      if (cell) {
        li.classList.add('ivr-problem-link');
        li.tabIndex = 0;
        var go = function () { sel.clean(); sel.select(cell); graph.centerCell(cell); };
        li.addEventListener('click', go);
        li.addEventListener('keydown', function (e) { if (e.key === 'Enter') go(); });
        (byNode[cell.id] = byNode[cell.id] || []).push(p.message || p.code);
      }
      list.appendChild(li);
    });
    Object.keys(byNode).forEach(function (id) {
      var v = graph.findViewByCell(id);
      if (!v) return;
      v.addClass('ivr-problem');
      v.container.setAttribute('data-problems', String(byNode[id].length));
      var tip = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      tip.setAttribute('class', 'ivr-problem-tip');
      tip.textContent = byNode[id].join('\n');
      v.container.insertBefore(tip, v.container.firstChild);
    });
    renderPanel();
  }

  function guardUnknown() {
    if (!state.unknown.length) return false;
    message(fill(t('ivred.unknown_refused'), 'what', state.unknown.slice(0, 8).join(', ')));
    return true;
  }

  function save() {
    if (state.readonly || state.busy || guardUnknown()) return Promise.resolve(false);
    state.busy = true;
    return api('POST', apiBase + '/draft', { document: documentText(), rev: state.rev }).then(function (j) {
      state.busy = false;
      if (j.status === 200 && j.ok !== false) {
        state.rev = j.rev;
        state.dirty = false;
        $('ivr-dirty').hidden = true;
        root.setAttribute('data-rev', String(j.rev));
        showProblems(j.problems);
        message(j.problems && j.problems.length ? fill(t('ivred.saved_problems'), 'n', String(j.problems.length))
          : t('ivred.saved'), j.problems && j.problems.length ? 'warn' : 'ok');
        refreshState();
        return true;
      }
      message(j.error === 'ivr.stale' ? t('ivred.stale') : (j.message || t('ivred.failed')));
      return false;
    });
  }

  function validate() {
    if (guardUnknown()) return;
    api('POST', apiBase + '/validate', { document: documentText() }).then(function (j) {
      if (j.status !== 200 || j.ok === false) { message(j.message || t('ivred.failed')); return; }
      showProblems(j.problems);
      message(j.problems && j.problems.length ? fill(t('ivred.problems_n'), 'n', String(j.problems.length))
        : t('ivred.valid'), j.problems && j.problems.length ? 'bad' : 'ok');
    });
  }

  function publish() {
    if (state.readonly) return;
    var before = state.dirty || state.rev === null ? save() : Promise.resolve(true);
    before.then(function (ok) {
      if (!ok) return;
      return api('POST', apiBase + '/publish').then(function (j) {
        if (j.status === 200 && j.ok !== false) {
          // Warnings (a text prompt that cannot be spoken ahead) follow the news.
          var warns = (j.warnings || []).map(function (w) { return w.message || w.code; });
          showProblems([]);
          message([fill(t('ivred.published'), 'n', String(j.version))].concat(warns).join(' '),
            warns.length ? 'warn' : 'ok');
          refreshState();
          return;
        }
        if (j.error === 'ivr.invalid') {
          showProblems(j.problems);
          message(fill(t('ivred.publish_refused'), 'n', String((j.problems || []).length)));
          refreshState();
          return;
        }
        message(j.message || t('ivred.failed'));
      });
    });
  }

  function refreshState() {
    return api('GET', apiBase).then(function (j) {
      if (j.status === 200 && j.ok !== false) showState(j.flow || j);
    });
  }

  /* --- the test call ---------------------------------------------------------------------
   * POST /flows/{id}/simulate {document, events} replays the events from
   * the start through the draft on the screen (docs/ivr.md, "Test calls").
   * The reply this panel reads:
   *   { steps: [{ flow, node, type, exit, digits, prompts: [name], action, detail }],
   *     waiting: "prompt" | "digit" | "http" | "queue" | "record" | null,
   *     ended: bool, truncated: bool, problems: [{ code, node, message }] }
   * (a step: a node entered, the exit it left by (null while the call is
   * in it), the keys that chose it, the prompts it played, what it did
   * instead of the telephone). Steps of a sub-flow name that flow: only
   * this flow's nodes are marked on the canvas. simShow() is the one
   * place that knows it. */

  /* An action's detail in a few words: its scalar members. */
  function detailText(d) {
    if (!d || typeof d !== 'object') return '';
    return Object.keys(d).filter(function (k) {
      var v = d[k];
      return v !== null && v !== '' && typeof v !== 'object';
    }).map(function (k) { return k + '=' + d[k]; }).join(' ');
  }

  /* An exit as the interpreter names it ("next", "key 1", "case 2") in words. */
  function exitName(e) {
    var m = /^(key|case) (.+)$/.exec(e);
    if (m) return fill(t('ivred.exit.' + m[1]), m[1] === 'key' ? 'digit' : 'n', m[2]);
    var k = 'ivred.exit.' + e, w = t(k);
    return w === k ? e : w;
  }

  function simShow(j) {
    var log = $('ivr-sim-log');
    log.textContent = '';
    graph.getNodes().forEach(function (c) {
      var v = graph.findViewByCell(c);
      if (v) { v.removeClass('ivr-sim-path'); v.removeClass('ivr-sim-current'); }
    });
    if (j.status !== 200 || j.ok === false) {
      log.appendChild(el('li', 'alert-error', j.message || j.error || t('ivred.failed')));
      return;
    }
    var problems = j.problems || [];
    if (problems.length) {
      var pli = el('li', 'ivr-sim-problems', t('ivred.sim.problems'));
      problems.forEach(function (p) {
        var d = el('div', 'inline-error', (p.node ? p.node + ': ' : '') + (p.message || p.code));
        d.setAttribute('data-code', p.code || '');
        pli.appendChild(d);
      });
      log.appendChild(pli);
    }
    var steps = j.steps || [];
    steps.forEach(function (s, i) {
      var mine = String(s.flow) === String(flowId);
      var li = el('li', 'ivr-sim-step');
      li.setAttribute('data-node', s.node || '');
      li.setAttribute('data-flow', s.flow === undefined ? '' : String(s.flow));
      li.setAttribute('data-exit', s.exit || '');
      li.setAttribute('data-action', s.action || '');
      li.appendChild(el('strong', null, (mine ? '' : '#' + s.flow + ' ') + (s.node || '')));
      if (s.type) li.appendChild(el('span', 'muted', ' ' + typeName(s.type)));
      (s.prompts || []).forEach(function (p) { li.appendChild(el('div', 'ivr-sim-prompt', '♪ ' + p)); });
      if (s.action && s.action !== 'play') {
        var what = t('ivred.sim.action.' + s.action), extra = detailText(s.detail);
        li.appendChild(el('div', 'ivr-sim-action', what + (extra ? ' · ' + extra : '')));
      }
      if (s.digits) li.appendChild(el('div', 'ivr-sim-digits', fill(t('ivred.sim.digits'), 'd', s.digits)));
      if (s.exit) li.appendChild(el('div', 'muted ivr-sim-exit', '→ ' + exitName(s.exit)));
      log.appendChild(li);
      var cell = mine && s.node ? cellByFid(s.node) : null;
      var v = cell && graph.findViewByCell(cell);
      if (v) v.addClass(i === steps.length - 1 && !j.ended && !s.exit ? 'ivr-sim-current' : 'ivr-sim-path');
    });
    var end = el('li', 'ivr-sim-status');
    end.textContent = j.ended ? t('ivred.sim.ended')
      : j.waiting ? t('ivred.sim.waiting.' + j.waiting) : '';
    if (j.truncated) end.textContent += ' ' + t('ivred.sim.truncated');
    end.setAttribute('data-waiting', j.waiting || '');
    end.setAttribute('data-ended', j.ended ? '1' : '0');
    log.appendChild(end);
    var ev = $('ivr-sim-events');
    ev.textContent = state.sim.map(function (e) {
      return e.type === 'digit' ? e.digit : e.type === 'http' ? 'http:' + e.result
        : e.type === 'queue' ? 'queue:' + e.result : e.type;
    }).join(' ');
  }

  function simSend(event) {
    if (event) state.sim.push(event);
    api('POST', apiBase + '/simulate', { document: documentText(), events: state.sim }).then(simShow);
  }

  function buildSim() {
    var pad = $('ivr-sim-pad');
    '123456789*0#'.split('').forEach(function (d) {
      var b = el('button', 'btn ivr-sim-key', d);
      b.type = 'button';
      b.setAttribute('data-digit', d);
      b.addEventListener('click', function () { simSend({ type: 'digit', digit: d }); });
      pad.appendChild(b);
    });
    $('ivr-sim-timeout').addEventListener('click', function () { simSend({ type: 'timeout' }); });
    ['ok', 'error', 'timeout'].forEach(function (r) {
      $('ivr-sim-http-' + r).addEventListener('click', function () { simSend({ type: 'http', result: r }); });
    });
    ['next', 'after'].forEach(function (r) {
      $('ivr-sim-queue-' + r).addEventListener('click', function () { simSend({ type: 'queue', result: r }); });
    });
    $('ivr-sim-recorded').addEventListener('click', function () { simSend({ type: 'recorded' }); });
    $('ivr-sim-hangup').addEventListener('click', function () { simSend({ type: 'hangup' }); });
    $('ivr-sim-start').addEventListener('click', function () { state.sim = []; simSend(null); });
    $('ivr-sim-toggle').addEventListener('click', function () {
      var box = $('ivr-sim');
      box.hidden = !box.hidden;
      if (!box.hidden) { state.sim = []; simSend(null); }
    });
  }

  /* --- start ------------------------------------------------------------------------------ */

  function start() {
    buildGraph();
    buildPalette();
    buildSim();
    $('ivr-undo').addEventListener('click', undo);
    $('ivr-redo').addEventListener('click', redo);
    $('ivr-save').addEventListener('click', save);
    $('ivr-validate').addEventListener('click', validate);
    $('ivr-publish').addEventListener('click', publish);
    setReadonly(true, null);

    Promise.all([api('GET', apiBase), api('GET', refsUrl)]).then(function (r) {
      var flow = r[0], refs = r[1];
      if (refs.status === 200 && refs.ok !== false) {
        ['audio', 'groups', 'agents', 'flows'].forEach(function (k) { state.refs[k] = refs[k] || []; });
      }
      if (flow.status !== 200 || flow.ok === false) { message(flow.message || t('ivred.failed')); return; }
      flow = flow.flow || flow;
      var read = F.parse(flow.document || '', new DOMParser());
      if (read.error) { message(t('ivred.unreadable')); return; }
      state.rev = flow.draft_rev;
      root.setAttribute('data-rev', String(flow.draft_rev));
      state.unknown = read.model.unknown;
      load(read.model);
      showState(flow);
      if (flow.problems && flow.problems.length) showProblems(flow.problems);
      return takeLock().then(function (mine) {
        if (!mine) return;
        setReadonly(false, null);
        hist.clean();
        state.lockTimer = setInterval(renewLock, 60000);
        if (state.unknown.length) {
          message(fill(t('ivred.unknown'), 'what', state.unknown.slice(0, 8).join(', ')), 'warn');
        }
      });
    }).then(function () { root.setAttribute('data-ready', '1'); });

    window.addEventListener('beforeunload', function (e) {
      if (state.dirty && !state.readonly) { e.preventDefault(); e.returnValue = ''; }
    });
    /* The lock goes back when the page is left (a request that outlives the
     * page); it would expire by itself in any case. */
    window.addEventListener('pagehide', function () {
      if (!state.locked) return;
      state.locked = false;
      fetch(apiBase + '/unlock', { method: 'POST', credentials: 'same-origin', keepalive: true,
        headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }, body: '{}' });
    });
  }

  start();
  /* For the browser test of the page: the document as it would be saved. */
  root.ivrDocument = documentText;
})();
