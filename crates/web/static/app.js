// Wharf's page scripts, served from /assets/app.js (cache-busted by content) so that
// pages carry a strict Content-Security-Policy: no inline script, no event-handler
// attributes. Each part looks for its elements and does nothing without them; texts
// come from the catalogs through data- attributes.

// Confirmations: a form (or the button that submits it, or a link) with data-confirm
// asks first. A form with data-confirm-action asks only when its `action` field has
// that value. When confirmed, `confirmed=1` is added, which the server requires for the
// destructive actions (without JavaScript it shows a confirmation page instead).
(function () {
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var button = e.submitter;
    var question = (button && button.dataset.confirm) || form.dataset.confirm;
    if (!question) { return; }
    var only = form.dataset.confirmAction;
    if (only && !(form.elements.action && form.elements.action.value === only)) { return; }
    if (!window.confirm(question)) { e.preventDefault(); return; }
    if (!form.elements.confirmed) {
      var c = document.createElement('input');
      c.type = 'hidden';
      c.name = 'confirmed';
      form.appendChild(c);
    }
    form.elements.confirmed.value = '1';
  });
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-confirm]');
    if (a && !window.confirm(a.dataset.confirm)) { e.preventDefault(); }
  });
  // A select with data-autosubmit sends its form when changed.
  document.addEventListener('change', function (e) {
    var t = e.target;
    if (t.matches && t.matches('select[data-autosubmit]') && t.form) { if (t.form.requestSubmit) { t.form.requestSubmit(); } else { t.form.submit(); } }
  });
  // The customer list's "tick all".
  var all = document.getElementById('select-all');
  if (all) {
    all.addEventListener('click', function () {
      document.querySelectorAll('#customer-list tbody input[type=checkbox]').forEach(function (b) { b.checked = all.checked; });
    });
  }
  // The print view's button.
  var print = document.getElementById('print');
  if (print) { print.addEventListener('click', function () { window.print(); }); }
})();

// Live counts (SPEC RUN-3): unread and Pending pushed by the server; new mail announced
// without a reload.
(function () {
  if (!window.WharfLive || !document.getElementById('live-notice')) { return; }
  var last = null;
  function badge(id, n, parent) {
    var el = document.getElementById(id);
    if (!el && parent && n > 0) {
      el = document.createElement('span');
      el.id = id;
      el.className = 'count';
      parent.appendChild(document.createTextNode(' '));
      parent.appendChild(el);
    }
    if (el) { el.textContent = n > 0 ? String(n) : ''; el.hidden = n === 0; }
  }
  window.WharfLive.on('counts', function (c) {
    badge('count-inbox', c.unread, document.getElementById('view-inbox'));
    badge('count-pending', c.pending, document.getElementById('view-pending'));
    badge('nav-mail-count', c.unread, document.querySelector('[data-nav=mail]'));
    badge('count-followup', c.due, document.getElementById('view-followup'));
    if (last !== null && c.unread > last.unread) { document.getElementById('live-notice').hidden = false; }
    if (last !== null && c.due > last.due) { document.getElementById('live-due').hidden = false; }
    // Mail from a followed customer (LINK-5): named, with a link to it.
    if (last !== null && c.followed > last.followed && c.followed_latest) {
      var a = document.getElementById('live-followed-link');
      a.textContent = a.getAttribute('data-text').replace('{name}', c.followed_latest.name);
      a.href = '/mail?view=inbox&m=' + c.followed_latest.id;
      document.getElementById('live-followed').hidden = false;
    }
    last = c;
  });
})();

// Suggestions under the header's search box (FIND-1): as one types, the best customers
// and mail in the user's scope from /api/v1/search (the last word may be unfinished);
// arrows move, Enter opens, Escape closes; Enter with none chosen opens the search page.
(function () {
  var input = document.getElementById('global-search');
  var box = document.getElementById('search-suggest');
  if (!input || !box || !window.fetch) { return; }
  var timer = null, asked = 0, links = [], active = -1;
  function close() {
    asked++; // an answer still on its way is not wanted any more
    box.hidden = true;
    box.textContent = '';
    links = [];
    active = -1;
    input.setAttribute('aria-expanded', 'false');
  }
  function mark(i) {
    links.forEach(function (a, j) { a.classList.toggle('active', j === i); a.setAttribute('aria-selected', j === i ? 'true' : 'false'); });
    active = i;
    if (i >= 0) { links[i].scrollIntoView({block: 'nearest'}); }
  }
  function line(cls, html, text) {
    var s = document.createElement('span');
    s.className = cls;
    // Snippets come escaped from the server, the words found in <mark>.
    if (html !== null) { s.innerHTML = html; } else { s.textContent = text; }
    return s;
  }
  function group(title, total, items, make) {
    if (!items.length) { return; }
    var h = document.createElement('div');
    h.className = 'suggest-head';
    h.textContent = title + ' · ' + total;
    box.appendChild(h);
    items.forEach(function (it) {
      var a = document.createElement('a');
      a.href = it.href;
      a.setAttribute('role', 'option');
      make(a, it);
      box.appendChild(a);
      links.push(a);
    });
  }
  function show(data, q) {
    box.textContent = '';
    links = [];
    active = -1;
    group(box.dataset.customers, data.customers.total, data.customers.items, function (a, c) {
      a.id = 'suggest-customer-' + c.id;
      a.appendChild(line('suggest-title', c.name_html, null));
      if (c.snippet_html) { a.appendChild(line('suggest-sub', c.snippet_html, null)); }
    });
    group(box.dataset.mail, data.mail.total, data.mail.items, function (a, m) {
      a.id = 'suggest-mail-' + m.id;
      a.appendChild(line('suggest-title', m.subject_html || null, m.subject_html ? null : '(' + m.from_addr + ')'));
      a.appendChild(line('suggest-sub', null, (m.from_name || m.from_addr) + ' · ' + m.when));
    });
    var all = document.createElement('a');
    all.className = 'suggest-all';
    all.id = 'suggest-all';
    all.href = '/search?q=' + encodeURIComponent(q);
    all.setAttribute('role', 'option');
    all.textContent = (data.complete ? box.dataset.all : box.dataset.building).replace('{q}', function () { return q; });
    box.appendChild(all);
    links.push(all);
    box.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }
  function ask() {
    var q = input.value.trim();
    // Two Latin letters say little; one Chinese character is a word.
    if (q.length < 2 && !/[^\x00-\x7f]/.test(q)) { close(); return; }
    var mine = ++asked;
    fetch('/api/v1/search?limit=5&prefix=1&q=' + encodeURIComponent(q), {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        // Only the answer to what is in the box now; a query the API cannot read
        // (a filter half typed) shows nothing until Enter explains it.
        if (mine !== asked || input.value.trim() !== q) { return; }
        if (data) { show(data, q); } else { close(); }
      })
      .catch(close);
  }
  input.addEventListener('input', function (e) {
    clearTimeout(timer);
    // While an input method composes (pinyin), the letters are not the word yet.
    if (e.isComposing) { return; }
    timer = setTimeout(ask, 150);
  });
  input.addEventListener('keydown', function (e) {
    if (box.hidden || e.isComposing || e.keyCode === 229) { return; }
    if (e.key === 'ArrowDown') { e.preventDefault(); mark(active + 1 < links.length ? active + 1 : 0); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); mark(active > 0 ? active - 1 : links.length - 1); }
    else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); window.location.href = links[active].href; }
    else if (e.key === 'Escape') { e.preventDefault(); close(); }
  });
  // Typing with an input method (Chinese) fires input when a word is chosen.
  input.addEventListener('compositionend', function () { clearTimeout(timer); timer = setTimeout(ask, 0); });
  document.addEventListener('click', function (e) { if (!input.form.contains(e.target)) { close(); } });
  // "/" anywhere but in a field goes to the box, as in most mail programs.
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) { return; }
    e.preventDefault();
    input.focus();
    input.select();
  });
  input.addEventListener('focus', function () { if (input.value.trim()) { ask(); } });
})();

// Duplicate check while typing (CUST-4, LINK-6): name, keywords, phones, e-mail and
// website are looked up across all owners; a match shows with its owner.
(function () {
  var names = ['name', 'keywords', 'phones', 'email', 'website'];
  var box = document.getElementById('duplicates');
  if (!box) { return; }
  var list = document.getElementById('duplicate-list');
  var timer = null;
  function check() {
    var p = new URLSearchParams();
    names.forEach(function (n) { var e = document.getElementById('f-' + n); if (e) { p.set(n, e.value); } });
    p.set('exclude', box.dataset.exclude);
    fetch('/customers/duplicates?' + p.toString(), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (hits) {
        list.innerHTML = '';
        hits.forEach(function (h) {
          var li = document.createElement('li');
          if (h.href) { var a = document.createElement('a'); a.href = h.href; a.textContent = h.text; li.appendChild(a); }
          else { li.textContent = h.text; }
          list.appendChild(li);
        });
        box.hidden = hits.length === 0;
      })
      .catch(function () {});
  }
  names.forEach(function (n) {
    var e = document.getElementById('f-' + n);
    if (e) { e.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(check, 300); }); }
  });
})();

// Provider presets: choosing one (or typing an address at a known provider) fills the
// server settings; without JavaScript the server fills empty ones on save.
(function () {
  var holder = document.getElementById('presets');
  if (!holder) { return; }
  var presets;
  try { presets = JSON.parse(holder.dataset.presets); } catch (e) { return; }
  var pick = document.getElementById('f-preset');
  var address = document.getElementById('f-address');
  function set(id, value) { var e = document.getElementById(id); if (e) { e.value = value; } }
  function apply(code) {
    var p = presets[code];
    if (!p) { return; }
    var pop = document.getElementById('f-in_protocol').value === 'pop3';
    set('f-in_host', pop ? p.pop3 : p.imap); set('f-in_port', pop ? 995 : 993); set('f-in_security', 'tls');
    set('f-out_host', p.smtp); set('f-out_port', 465); set('f-out_security', 'tls');
  }
  if (pick) { pick.addEventListener('change', function () { apply(pick.value); }); }
  if (address && pick) {
    address.addEventListener('change', function () {
      var domain = (address.value.split('@')[1] || '').toLowerCase();
      Object.keys(presets).forEach(function (code) {
        if (presets[code].domains.indexOf(domain) >= 0 && !document.getElementById('f-in_host').value) {
          pick.value = code; apply(code);
        }
      });
    });
  }
})();
