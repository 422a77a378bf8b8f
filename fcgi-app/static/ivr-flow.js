/* The flow language for the editor (docs/ivr.md, schemas/ivr-flow.rng): the
 * node types with their attributes, children and exits, and a document
 * read into a plain model and written back. Pure: no page, no graph; the
 * editor (ivr-editor.js) builds its canvas from the model.
 *
 * A model is { name, description, nodes: [node], unknown: [text] }, a node
 * { type, id, x, y, label, attrs: {name: text}, exits: {name: node id},
 * items: {tag: [item]}, body: text or null }. Items of a list that carry
 * an exit (a menu's keys, a branch's cases) have a `next` and a `uid` the
 * editor names the exit's port by. Attribute values are kept as the text
 * they were, so that a document read and written back says the same.
 *
 * What the editor does not know (another element or attribute, text where
 * none belongs, a comment) is listed in `unknown`: the editor refuses to
 * save such a document rather than lose it. */
(function (root) {
  'use strict';

  var NS = 'urn:cc:ivr-flow:1';

  /* Attribute kinds: how the panel edits them. */
  /* A field: [name, kind, required, extra]. kind: text, int, bool, key1,
   * var, audio, group, agent, flow, choice (extra: the values), template. */
  var PROMPT = { tag: 'prompt', fields: [['audio', 'audio'], ['tts', 'template'], ['voice', 'choice', false, ['cmn', 'en']]] };

  var TYPES = {
    start: { exits: ['next'], fields: [], lists: [
      { tag: 'param', fields: [['name', 'var', true], ['default', 'template', true]] }] },
    play: { exits: ['next'], fields: [['interruptible', 'bool']], lists: [PROMPT], min: { prompt: 1 } },
    menu: { exits: ['fallback'], fields: [['timeout-s', 'int', false, [0, 3600]], ['retries', 'int', false, [0, 9]],
      ['invalid-audio', 'audio'], ['timeout-audio', 'audio']],
    lists: [PROMPT, { tag: 'key', exit: 'k', fields: [['digit', 'key1', true]] }], min: { prompt: 1, key: 1 } },
    collect: { exits: ['next', 'fail'], fields: [['var', 'var', true], ['min', 'int', false, [1, 32]], ['max', 'int', false, [1, 32]],
      ['terminator', 'key1'], ['first-timeout-s', 'int', false, [0, 3600]], ['inter-timeout-s', 'int', false, [0, 3600]],
      ['retries', 'int', false, [0, 9]], ['confirm', 'bool']], lists: [PROMPT], min: { prompt: 1 } },
    branch: { exits: ['else'], fields: [], lists: [
      { tag: 'case', exit: 'c', fields: [['match', 'choice', false, ['all', 'any']]],
        sub: { tag: 'if', fields: [['var', 'var', true],
          ['op', 'choice', true, ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'prefix', 'contains', 'empty', 'set']],
          ['value', 'template']] } }], min: { 'case': 1 } },
    time: { exits: ['open', 'closed'], fields: [['tz', 'text']], lists: [
      { tag: 'hours', fields: [['days', 'text', true], ['from', 'text', true], ['to', 'text', true]] },
      { tag: 'holiday', fields: [['date', 'date', true]] }], min: { hours: 1 } },
    set: { exits: ['next'], fields: [['var', 'var', true], ['value', 'template', true]], lists: [] },
    http: { exits: ['ok', 'error', 'timeout'], fields: [['url', 'template', true], ['method', 'choice', false, ['GET', 'POST', 'PUT']],
      ['timeout-ms', 'int', false, [1, 30000]]], lists: [
      { tag: 'header', fields: [['name', 'text', true], ['value', 'template', true]] },
      { tag: 'body', text: true },
      { tag: 'result', fields: [['var', 'var', true], ['path', 'text', true]] }] },
    queue: { exits: ['next', 'after'], optional: ['after'], fields: [['group', 'group', true], ['max-wait-s', 'int', false, [0, 3600]],
      ['priority', 'int', false, [0, 9]], ['familiar', 'bool']], lists: [
      { tag: 'attach', fields: [['var', 'var', true]] }] },
    agent: { exits: ['next', 'after'], optional: ['after'], fields: [['agent', 'agent', true]], lists: [] },
    dial: { exits: ['next'], fields: [['number', 'template', true], ['caller-id', 'template']], lists: [] },
    voicemail: { exits: ['next'], fields: [['group', 'group', true], ['max-s', 'int', false, [1, 600]]], lists: [PROMPT] },
    survey: { exits: ['next'], fields: [['keys', 'text', true], ['timeout-s', 'int', false, [0, 3600]]], lists: [PROMPT], min: { prompt: 1 } },
    subflow: { exits: ['next'], fields: [['flow', 'flow', true]], lists: [] },
    hangup: { exits: [], fields: [['cause', 'text']], lists: [] },
    end: { exits: [], fields: [], lists: [] },
  };
  var ORDER = ['start', 'play', 'menu', 'collect', 'branch', 'time', 'set', 'http', 'queue', 'agent', 'dial',
    'voicemail', 'survey', 'subflow', 'hangup', 'end'];
  var LAYOUT = ['x', 'y', 'label'];

  var uidNext = 1;
  function uid() { return 'u' + (uidNext++); }

  function listOf(type, tag) {
    var t = TYPES[type];
    for (var i = 0; i < t.lists.length; i++) if (t.lists[i].tag === tag) return t.lists[i];
    return null;
  }

  /* A new node of type with id: required fields empty, one item in each
   * list that needs one. */
  function newNode(type, id) {
    var t = TYPES[type];
    var n = { type: type, id: id, x: 0, y: 0, label: '', attrs: {}, exits: {}, items: {}, body: null };
    t.fields.forEach(function (f) { if (f[2]) n.attrs[f[0]] = ''; });
    t.lists.forEach(function (l) {
      if (l.text) return;
      n.items[l.tag] = [];
      var want = (t.min && t.min[l.tag]) || 0;
      for (var i = 0; i < want; i++) n.items[l.tag].push(newItem(type, l.tag));
    });
    if (type === 'time') n.attrs.tz = 'Asia/Shanghai';
    return n;
  }

  function newItem(type, tag) {
    var l = listOf(type, tag);
    var it = {};
    l.fields.forEach(function (f) { if (f[2]) it[f[0]] = ''; });
    if (tag === 'prompt') it = { tts: '' };
    if (tag === 'hours') it = { days: 'mon-fri', from: '09:00', to: '18:00' };
    if (l.exit) it.uid = uid();
    if (l.sub) it.ifs = [{ 'var': 'caller', op: 'prefix', value: '' }];
    return it;
  }

  /* --- reading ------------------------------------------------------------- */

  function describe(el) { return '<' + el.nodeName + '>'; }

  /* Reads the attributes of el named in fields into obj; every other one
   * (but those in also) is unknown. */
  function readAttrs(el, fields, obj, also, unknown, where) {
    var known = {};
    fields.forEach(function (f) { known[f[0]] = true; });
    (also || []).forEach(function (a) { known[a] = true; });
    for (var i = 0; i < el.attributes.length; i++) {
      var a = el.attributes[i];
      if (a.name === 'xmlns' && el.namespaceURI === NS) continue;
      if (a.namespaceURI || !known[a.name]) { unknown.push(where + ' @' + a.name); continue; }
      if (Object.prototype.hasOwnProperty.call(known, a.name) && fields.some(function (f) { return f[0] === a.name; }))
        obj[a.name] = a.value;
    }
  }

  /* The element children of el; text, comments and other nodes that would
   * be lost go into unknown (whitespace aside). */
  function elements(el, unknown, where, textOk) {
    var out = [];
    for (var c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1) {
        if (c.namespaceURI !== NS) unknown.push(where + ' ' + describe(c));
        else out.push(c);
      } else if (c.nodeType === 3 || c.nodeType === 4) {
        if (!textOk && c.nodeValue.trim()) unknown.push(where + ' text');
      } else if (c.nodeType === 8) {
        unknown.push(where + ' <!-- -->');
      } else {
        unknown.push(where + ' ' + c.nodeName);
      }
    }
    return out;
  }

  function readNode(el, unknown) {
    var type = el.localName;
    var t = TYPES[type];
    var where = describe(el) + (el.getAttribute('id') ? ' ' + el.getAttribute('id') : '');
    var n = { type: type, id: el.getAttribute('id') || '', label: '', attrs: {}, exits: {}, items: {}, body: null };
    var layout = {};
    readAttrs(el, t.fields, n.attrs, ['id'].concat(t.exits, LAYOUT), unknown, where);
    t.exits.forEach(function (x) { if (el.hasAttribute(x)) n.exits[x] = el.getAttribute(x); });
    LAYOUT.forEach(function (a) { if (el.hasAttribute(a)) layout[a] = el.getAttribute(a); });
    n.x = layout.x !== undefined && /^-?[0-9]+$/.test(layout.x) ? parseInt(layout.x, 10) : null;
    n.y = layout.y !== undefined && /^-?[0-9]+$/.test(layout.y) ? parseInt(layout.y, 10) : null;
    if ((layout.x !== undefined && n.x === null) || (layout.y !== undefined && n.y === null))
      unknown.push(where + ' @x/@y');
    n.label = layout.label || '';
    t.lists.forEach(function (l) { if (!l.text) n.items[l.tag] = []; });
    elements(el, unknown, where).forEach(function (c) {
      var l = listOf(type, c.localName);
      if (!l) { unknown.push(where + ' ' + describe(c)); return; }
      var cw = where + ' ' + describe(c);
      if (l.text) {
        if (n.body !== null) unknown.push(cw);
        readAttrs(c, [], {}, [], unknown, cw);
        elements(c, unknown, cw, true);
        n.body = c.textContent;
        return;
      }
      var it = {};
      readAttrs(c, l.fields, it, l.exit ? ['next'] : [], unknown, cw);
      if (l.exit) {
        it.uid = uid();
        if (c.hasAttribute('next')) it.next = c.getAttribute('next');
      }
      var kids = elements(c, unknown, cw);
      if (l.sub) {
        it.ifs = [];
        kids.forEach(function (k) {
          if (k.localName !== l.sub.tag) { unknown.push(cw + ' ' + describe(k)); return; }
          var cond = {};
          readAttrs(k, l.sub.fields, cond, [], unknown, cw + ' <if>');
          elements(k, unknown, cw + ' <if>');
          it.ifs.push(cond);
        });
      } else if (kids.length) {
        kids.forEach(function (k) { unknown.push(cw + ' ' + describe(k)); });
      }
      n.items[l.tag].push(it);
    });
    return n;
  }

  /* Reads document text with parser (a DOMParser). Returns { model } or
   * { error } when the text is not a flow at all. */
  function parse(text, parser) {
    var doc = parser.parseFromString(text, 'application/xml');
    var err = doc.getElementsByTagName('parsererror');
    if (err.length) return { error: 'xml', detail: err[0].textContent };
    var el = doc.documentElement;
    if (!el || el.localName !== 'flow' || el.namespaceURI !== NS) return { error: 'not_flow' };
    var unknown = [];
    var m = { name: el.getAttribute('name') || '', description: el.getAttribute('description'), nodes: [], unknown: unknown };
    readAttrs(el, [['name'], ['description']], {}, [], unknown, '<flow>');
    for (var c = doc.firstChild; c; c = c.nextSibling)
      if (c !== el && c.nodeType === 8) unknown.push('<!-- -->');
    elements(el, unknown, '<flow>').forEach(function (c) {
      if (!Object.prototype.hasOwnProperty.call(TYPES, c.localName)) {
        unknown.push(describe(c) + (c.getAttribute('id') ? ' ' + c.getAttribute('id') : ''));
        return;
      }
      m.nodes.push(readNode(c, unknown));
    });
    return { model: m };
  }

  /* --- writing ------------------------------------------------------------- */

  function esc(s, attr) {
    s = String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    if (attr) s = s.replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
    else s = s.replace(/\r/g, '&#13;');
    return s;
  }

  function attr(name, v) { return ' ' + name + '="' + esc(v, true) + '"'; }

  /* Writes fields of obj: a required one always, an optional one when not
   * empty. */
  function attrsOf(fields, obj) {
    var s = '';
    fields.forEach(function (f) {
      var v = obj[f[0]];
      if (v === undefined || v === null || (v === '' && !f[2])) return;
      s += attr(f[0], v);
    });
    return s;
  }

  function writeNode(n) {
    var t = TYPES[n.type];
    var s = '  <' + n.type + attr('id', n.id);
    t.exits.forEach(function (x) { if (n.exits[x]) s += attr(x, n.exits[x]); });
    s += attrsOf(t.fields, n.attrs);
    if (n.x !== null && n.x !== undefined) s += attr('x', Math.round(n.x));
    if (n.y !== null && n.y !== undefined) s += attr('y', Math.round(n.y));
    if (n.label) s += attr('label', n.label);
    var inner = '';
    t.lists.forEach(function (l) {
      if (l.text) {
        if (n.body !== null && n.body !== undefined) inner += '    <body>' + esc(n.body) + '</body>\n';
        return;
      }
      (n.items[l.tag] || []).forEach(function (it) {
        var a = attrsOf(l.fields, it) + (l.exit && it.next ? attr('next', it.next) : '');
        if (l.tag === 'prompt') a = it.audio ? attr('audio', it.audio) : attr('tts', it.tts || '') + (it.voice ? attr('voice', it.voice) : '');
        if (l.sub) {
          inner += '    <' + l.tag + a + '>\n';
          (it.ifs || []).forEach(function (c) { inner += '      <' + l.sub.tag + attrsOf(l.sub.fields, c) + '/>\n'; });
          inner += '    </' + l.tag + '>\n';
        } else {
          inner += '    <' + l.tag + a + '/>\n';
        }
      });
    });
    return inner ? s + '>\n' + inner + '  </' + n.type + '>\n' : s + '/>\n';
  }

  /* The document of a model: the start first, then the other nodes in
   * their order. */
  function serialize(m) {
    var s = '<flow xmlns="' + NS + '"' + attr('name', m.name);
    if (m.description !== null && m.description !== undefined) s += attr('description', m.description);
    s += '>\n';
    var nodes = m.nodes.filter(function (n) { return n.type === 'start'; })
      .concat(m.nodes.filter(function (n) { return n.type !== 'start'; }));
    nodes.forEach(function (n) { s += writeNode(n); });
    return s + '</flow>\n';
  }

  /* The exits of a node as [{port, name, item}] in the order the node shows
   * them: a menu's keys and a branch's cases first, then the fixed ones. */
  function exitsOf(n) {
    var t = TYPES[n.type];
    var out = [];
    t.lists.forEach(function (l) {
      if (!l.exit) return;
      (n.items[l.tag] || []).forEach(function (it, i) {
        out.push({ port: l.exit + ':' + it.uid, list: l.tag, index: i, item: it });
      });
    });
    t.exits.forEach(function (x) {
      out.push({ port: 'x:' + x, name: x, optional: (t.optional || []).indexOf(x) >= 0 });
    });
    return out;
  }

  var api = { NS: NS, TYPES: TYPES, ORDER: ORDER, parse: parse, serialize: serialize, newNode: newNode,
    newItem: newItem, exitsOf: exitsOf, listOf: listOf, uid: uid };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.ivrFlow = api;
})(this);
