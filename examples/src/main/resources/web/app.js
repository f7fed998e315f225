// The web example's page: demo sign-in, contacts, type-ahead search and a live deal board, on crm-rest's API.
// Record data only ever reaches the page as text nodes (append/textContent), never as HTML.
'use strict';

(() => {
  const state = { token: null, abort: null, lastEventId: null, events: 0, companies: new Map(),
                  cards: new Map(), searchSeq: 0, searchTimer: null, stream: 0, paused: false };
  const $ = (id) => document.getElementById(id);

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('data-')) e.setAttribute(k, v);
      else e[k] = v;
    }
    e.append(...children.map((c) => (c instanceof Node ? c : String(c))));
    return e;
  }

  function showError(message) {
    $('error').textContent = message;
    $('error').hidden = !message;
  }

  async function api(path, options = {}) {
    const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    const res = await fetch(path, Object.assign({}, options, { headers, cache: 'no-store' }));
    const body = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const detail = body && (body.detail || body.title) ? (body.detail || body.title) : 'HTTP ' + res.status;
      throw new Error(path.split('?')[0] + ': ' + detail);
    }
    return body;
  }

  async function allPages(path) {
    const items = [];
    let cursor = null;
    do {
      const page = await api(path + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      items.push(...page.items);
      cursor = page.has_more ? page.next_cursor : null;
    } while (cursor);
    return items;
  }

  function text(value) {
    if (value === null || value === undefined) return '';
    if (Array.isArray(value)) return value.map(text).join(', ');
    if (typeof value === 'object') {
      if ('amount' in value && 'currency' in value) return value.amount + ' ' + value.currency;
      return Object.values(value).filter((v) => v !== null).map(text).join(', ');
    }
    return String(value);
  }

  // --- sign-in -------------------------------------------------------------------------------------------
  async function loadDemoUsers() {
    const users = await api('demo/users');
    const box = $('demo-users');
    box.replaceChildren('Sign in as ');
    for (const u of users) {
      const b = el('button', { type: 'button', title: u.description, 'data-user': u.id }, u.name);
      b.addEventListener('click', () => signInAs(u).catch((e) => showError(e.message)));
      box.append(b);
    }
  }

  async function signInAs(user) {
    state.token = null;
    const issued = await api('demo/tokens/' + encodeURIComponent(user.id), { method: 'POST' });
    await startSession(issued.token, user.name);
  }

  async function startSession(token, who) {
    stopSession();
    state.token = token;
    showError('');
    $('whoami').textContent = 'Signed in: ' + who;
    $('whoami').dataset.user = who;
    $('signout').hidden = false;
    $('app').hidden = false;
    await loadContacts();
    streamChanges(++state.stream);
  }

  function stopSession() {
    closeStream();
    state.paused = false;
    $('live-toggle').textContent = 'Pause';
    state.token = null;
    state.lastEventId = null;
    state.cards.clear();
    $('contacts').tHead.rows[0].replaceChildren();
    $('contacts').tBodies[0].replaceChildren();
    $('board').replaceChildren();
    $('search').value = '';
    $('search-results').replaceChildren();
    $('app').hidden = true;
    $('signout').hidden = true;
    $('whoami').textContent = 'Not signed in.';
    setLive('offline');
  }

  // --- contacts ------------------------------------------------------------------------------------------
  const PREFERRED = ['email', 'title', 'company', 'phone'];

  async function loadContacts() {
    const [companies, contacts] = await Promise.all([allPages('objects/company?limit=200'),
      allPages('objects/contact?sort=last_name,first_name&limit=200')]);
    state.companies = new Map(companies.map((c) => [c.id, c.fields.name]));
    // only the fields the API sent: a field hidden from the caller is not in any record, so it gets no column
    const present = new Set();
    for (const c of contacts) {
      for (const [k, v] of Object.entries(c.fields)) if (v !== null && k !== 'first_name' && k !== 'last_name') present.add(k);
    }
    const columns = PREFERRED.filter((k) => present.has(k))
      .concat([...present].filter((k) => !PREFERRED.includes(k)).sort());
    $('contacts').tHead.rows[0].replaceChildren(el('th', {}, 'name'), ...columns.map((k) => el('th', {}, k)));
    $('contacts').tBodies[0].replaceChildren(...contacts.map((c) => el('tr', { 'data-id': c.id },
      el('td', {}, text([c.fields.first_name, c.fields.last_name].filter(Boolean).join(' '))),
      ...columns.map((k) => el('td', { 'data-field': k },
        k === 'company' ? (state.companies.get(c.fields.company) || '') : text(c.fields[k]))))));
  }

  // --- search --------------------------------------------------------------------------------------------
  function onSearchInput() {
    clearTimeout(state.searchTimer);
    state.searchTimer = setTimeout(() => search($('search').value.trim()).catch((e) => showError(e.message)), 200);
  }

  async function search(q) {
    const seq = ++state.searchSeq;
    if (!q) {
      $('search-results').replaceChildren();
      return;
    }
    const result = await api('search?limit=8&types=contact,company,deal&q=' + encodeURIComponent(q));
    if (seq !== state.searchSeq) return; // a later keystroke's answer wins
    $('search-results').replaceChildren(...(result.hits.length === 0 ? [el('li', { class: 'none' }, 'no match')]
      : result.hits.map((h) => el('li', { 'data-type': h.type, 'data-id': h.id },
        h.title, el('span', { class: 'kind' }, h.type + (h.match ? ', ' + h.match : ''))))));
  }

  // --- deal board ----------------------------------------------------------------------------------------
  async function loadBoard() {
    const [pipeline, deals] = await Promise.all([api('demo/pipeline'),
      allPages('objects/deal?sort=name&limit=200')]);
    state.cards.clear();
    $('board').replaceChildren(...pipeline.stages.map((s) => el('div', { class: 'column', 'data-stage': s.name },
      el('h3', {}, s.label), el('div', { class: 'cards' }))));
    for (const d of deals) placeCard(d.id, d.version, d.fields);
  }

  function placeCard(id, version, fields) {
    let card = state.cards.get(id);
    if (!card) {
      card = { el: el('div', { class: 'card', 'data-id': id }, el('div', { class: 'name' }),
        el('div', { class: 'amount' })), version: 0, fields: {} };
      state.cards.set(id, card);
    }
    Object.assign(card.fields, fields);
    card.version = version;
    card.el.dataset.version = String(version);
    card.el.querySelector('.name').textContent = text(card.fields.name);
    card.el.querySelector('.amount').textContent = text(card.fields.amount);
    const column = [...document.querySelectorAll('#board .column')].find((c) => c.dataset.stage === card.fields.stage);
    if (!column) {
      card.el.remove();
    } else if (card.el.parentElement !== column.lastElementChild) {
      column.lastElementChild.append(card.el);
      card.el.classList.add('moved');
    }
  }

  async function applyChange(change) {
    if (change.type !== 'deal') return;
    const card = state.cards.get(change.record_id);
    if (change.operation === 'delete' || change.operation === 'purge') {
      if (card) card.el.remove();
      state.cards.delete(change.record_id);
    } else if (change.operation === 'update' && card) {
      if (change.version <= card.version) return; // the board already shows it
      const fields = {};
      for (const c of change.changes) fields[c.field] = c.new;
      placeCard(change.record_id, change.version, fields);
    } else {
      // a new or restored deal (or one the board did not have): read it whole
      const d = await api('objects/deal/' + encodeURIComponent(change.record_id)).catch(() => null);
      if (d) placeCard(d.id, d.version, d.fields);
    }
  }

  // --- live changes: GET /changes read with fetch (EventSource cannot send the Authorization header) --------
  function setLive(s) {
    $('live').dataset.state = s;
    $('live').textContent = s;
  }

  function closeStream() {
    state.stream++;
    if (state.abort) state.abort.abort();
    state.abort = null;
  }

  // Pause closes the stream; Resume opens it again with Last-Event-ID, so the changes made meanwhile arrive in order
  function toggleLive() {
    if (state.paused) {
      state.paused = false;
      $('live-toggle').textContent = 'Pause';
      streamChanges(++state.stream);
    } else {
      state.paused = true;
      closeStream();
      $('live-toggle').textContent = 'Resume';
      setLive('paused');
    }
  }

  async function streamChanges(generation) {
    while (generation === state.stream) {
      const controller = new AbortController();
      state.abort = controller;
      try {
        const headers = { Accept: 'text/event-stream', Authorization: 'Bearer ' + state.token };
        if (state.lastEventId !== null) headers['Last-Event-ID'] = state.lastEventId;
        const res = await fetch('changes?types=deal', { headers, signal: controller.signal, cache: 'no-store' });
        if (!res.ok) throw new Error('change stream: HTTP ' + res.status);
        // the stream is open: what the board reads now cannot miss a change, it comes as an event
        if (state.lastEventId === null) await loadBoard();
        if (generation !== state.stream) return;
        setLive('live');
        await readEvents(res.body, generation);
      } catch (e) {
        if (generation !== state.stream) return;
        showError(e.message);
      }
      if (generation !== state.stream) return;
      setLive('reconnecting');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async function readEvents(body, generation) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = { id: null, type: 'message', data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done || generation !== state.stream) return;
      buffer += value;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        if (line === '') {
          if (event.id !== null) state.lastEventId = event.id;
          if (event.data.length > 0) await dispatch(event.type, event.data.join('\n'));
          event = { id: null, type: 'message', data: [] };
          continue;
        }
        if (line.startsWith(':')) continue; // keep-alive comment
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') event.id = val;
        else if (field === 'event') event.type = val;
        else if (field === 'data') event.data.push(val);
      }
    }
  }

  async function dispatch(type, data) {
    const message = JSON.parse(data);
    if (type === 'change') {
      state.events++;
      $('live').dataset.events = String(state.events);
      await applyChange(message);
    } else if (type === 'error' && message.resume_after !== undefined) {
      state.lastEventId = String(message.resume_after); // dropped as too slow: go on from there
    }
  }

  // --- wiring --------------------------------------------------------------------------------------------
  $('search').addEventListener('input', onSearchInput);
  $('signout').addEventListener('click', stopSession);
  $('live-toggle').addEventListener('click', toggleLive);
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token-input').value.trim();
    $('token-input').value = '';
    if (token) startSession(token, 'token').catch((err) => { stopSession(); showError(err.message); });
  });
  loadDemoUsers().catch((e) => showError(e.message));
})();
