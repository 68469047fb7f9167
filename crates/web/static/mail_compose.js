// Reply, reply all, forward and send again inside the reading pane: the compose form is
// fetched alone (`/mail/compose?…&fragment=1`) and shown in place of the message, the
// list keeping its place and scroll. Send posts the form as it is (multipart FormData:
// the CSRF token first, the attachments with it) without a page load; a refused send
// comes back as the form with the server's translated errors and what was typed (files
// included, kept by the server). A sent mail leaves a note on the message with its
// delivery state, kept current from the live stream. Discard deletes the draft and
// shows the message again. The pane writes plain text (the editor needs inline styles,
// which this page's CSP refuses); a link opens the mail on its own page, with the
// editor. Without JavaScript the links open the compose page.
(function () {
  var box = document.getElementById('mailbox');
  if (!box || !window.fetch || !window.FormData || !window.DOMParser || !window.WharfCompose) { return; }
  function read() { return document.getElementById('mail-read'); }
  var open = null; // {wrap, form, handle, hidden: [elements], href}
  var sent = null; // {id, state, text, href, messageHref}

  function parse(html) { return new DOMParser().parseFromString(html, 'text/html'); }

  function show(wrap) {
    var pane = read();
    var form = wrap.querySelector('form');
    if (open && open.wrap === wrap) { return; }
    var hidden = open ? open.hidden : Array.prototype.filter.call(pane.children, function (el) { return !el.hidden; });
    if (open) { open.handle.stop(); open.wrap.remove(); }
    hidden.forEach(function (el) { el.hidden = true; });
    pane.insertBefore(wrap, pane.firstChild);
    pane.scrollTop = 0;
    open = {wrap: wrap, form: form, hidden: hidden, href: window.location.href};
    open.handle = window.WharfCompose.start(form, 'wharf-draft:pane:' + (form.dataset.key || ''));
    // The same mail on its own page (with the editor): its draft once saved, else anew.
    var full = wrap.querySelector('#compose-full');
    if (full) {
      var page = new URLSearchParams(form.dataset.key || '');
      page.delete('fragment');
      full.href = '/mail/compose?' + page.toString();
    }
  }

  function close() {
    if (!open) { return; }
    open.handle.stop();
    open.wrap.remove();
    open.hidden.forEach(function (el) { el.hidden = false; });
    open = null;
  }

  function openComposer(href) {
    var u = new URL(href, window.location.href);
    u.searchParams.set('fragment', '1');
    fetch(u.toString(), {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
      .then(function (r) {
        if (!r.ok || r.redirected) { throw new Error('compose ' + r.status); }
        return r.text();
      })
      .then(function (html) {
        var wrap = parse(html).getElementById('reply-pane');
        if (!wrap) { throw new Error('no form'); }
        wrap = document.importNode(wrap, true);
        wrap.querySelector('form').dataset.key = u.search;
        show(wrap);
      })
      .catch(function () { window.location.assign(href); });
  }

  function problem(form, text) {
    var el = form.querySelector('#reply-pane-error');
    if (!el) {
      el = document.createElement('p');
      el.className = 'err';
      el.id = 'reply-pane-error';
      el.setAttribute('role', 'alert');
      form.insertBefore(el, form.firstChild);
    }
    el.textContent = text;
    form.querySelector('#send').disabled = false;
    form.querySelector('#send-state').textContent = '';
  }

  function send(form) {
    var handle = open.handle;
    handle.body();
    var data = new FormData(form);
    form.querySelector('#send').disabled = true;
    form.querySelector('#send-state').textContent = form.dataset.sending;
    fetch(form.action, {method: 'POST', body: data, credentials: 'same-origin', headers: {'Accept': 'text/html'}})
      .then(function (r) { return r.text().then(function (html) { return [r, html]; }); })
      .then(function (res) {
        var doc = parse(res[1]);
        var note = doc.getElementById('pane-sent');
        var again = doc.getElementById('reply-pane');
        if (note) {
          var messageHref = open.href;
          close();
          sent = {
            id: Number(note.getAttribute('data-message')),
            state: note.getAttribute('data-state'),
            text: note.textContent,
            node: document.importNode(note, true),
            messageHref: messageHref
          };
          placeNote();
          watch();
          // The original now shows as answered, and leaves Pending.
          if (window.WharfMail) { window.WharfMail.refreshPane(); window.WharfMail.refreshList(); }
          return;
        }
        if (again) {
          // Refused: the server's form again, with its errors and what was typed.
          var wrap = document.importNode(again, true);
          wrap.querySelector('form').dataset.key = form.dataset.key;
          show(wrap);
          var err = wrap.querySelector('.err');
          if (err) { err.scrollIntoView({block: 'nearest'}); }
          return;
        }
        // Any other answer (signed out, a refusal page): its sentence, in the pane.
        var said = doc.querySelector('main p, main h1');
        problem(form, (res[0].ok || !said) ? form.dataset.unreachable : said.textContent);
      })
      .catch(function () { problem(form, form.dataset.unreachable); });
  }

  // The sent mail's note, on its original while that is open.
  function placeNote() {
    if (!sent || open) { return; }
    var old = document.getElementById('pane-sent');
    if (old) { old.remove(); }
    if (sent.messageHref !== window.location.href) { return; }
    var node = sent.node;
    node.setAttribute('data-state', sent.state);
    node.classList.toggle('err', sent.state === 'failed');
    node.querySelector('#pane-sent-state').textContent = sent.text;
    read().insertBefore(node, read().firstChild);
  }
  function pending() { return sent && (sent.state === 'queued' || sent.state === 'retrying'); }
  function update(state, text) {
    if (!sent || (state === sent.state && text === sent.text)) { return; }
    sent.state = state;
    sent.text = text;
    placeNote();
  }
  // The live stream tells of deliveries it sees; a send that ends between two of its
  // rounds is read from the sent mail's own pane instead (a few times, while pending).
  var checks = 0;
  function check() {
    if (!pending() || checks++ > 30) { return; }
    var id = sent.id;
    fetch('/mail?view=sent&fragment=1&m=' + id, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
      .then(function (r) { return r.ok ? r.text() : ''; })
      .then(function (html) {
        var d = html && parse(html).getElementById('delivery');
        if (d && sent && sent.id === id) { update(d.getAttribute('data-state'), d.textContent); }
      })
      .catch(function () { /* the next check or event */ })
      .then(function () { if (pending()) { setTimeout(check, 2000); } });
  }
  function watch() { checks = 0; setTimeout(check, 1000); }
  if (window.WharfLive) {
    window.WharfLive.on('delivery', function (e) {
      if (sent && e.message_id === sent.id) { update(e.state, e.text); }
    });
  }

  document.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) { return; }
    var t = e.target;
    if (t.closest && t.closest('#compose-discard') && open) {
      e.preventDefault();
      var id = open.form.querySelector('#f-draft_id').value;
      var csrf = open.form.dataset.csrf;
      close();
      if (id) {
        fetch('/mail/drafts/' + encodeURIComponent(id) + '/delete', {method: 'POST', credentials: 'same-origin', headers: {'X-CSRF-Token': csrf}})
          .catch(function () { /* it stays among the drafts */ });
      }
      return;
    }
    if (t.closest && t.closest('#compose-full') && open) {
      var draft = open.form.querySelector('#f-draft_id').value;
      open.handle.flush();
      if (draft) { e.preventDefault(); window.location.assign('/mail/compose?draft=' + encodeURIComponent(draft)); }
      return;
    }
    var a = t.closest && t.closest('a[href]');
    if (!a || !read().contains(a) || a.target) { return; }
    var u = new URL(a.href, window.location.href);
    if (u.origin !== window.location.origin || u.pathname !== '/mail/compose') { return; }
    e.preventDefault();
    openComposer(a.href);
  });

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (e.defaultPrevented || !open || form !== open.form) { return; }
    e.preventDefault();
    send(form);
  });

  // Another message opened (or the pane fetched again) while writing: the draft is
  // saved, the form goes; the note follows its message.
  document.addEventListener('wharf:pane', function () {
    if (open && !document.body.contains(open.wrap)) {
      open.handle.flush();
      open.handle.stop();
      open = null;
    }
    placeNote();
  });
})();
