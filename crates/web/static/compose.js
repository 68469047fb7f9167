// The compose form, on its page (/mail/compose) and in the reading pane (mail_compose.js
// fetches it): the rich-text editor, drafts saved as one types, attachments by drag and
// drop, the caret above the quote. Texts and the CSRF token come from the form's data-
// attributes, so the page needs no inline script. `WharfCompose.start(form, key)` sets
// one form up and gives back what the pane needs: `body()` (the editor's text put into
// the form) and `stop()` (no more saving, the editor gone).
// The rich-text editor (Jodit, from npm, built into the server): images pasted, dropped
// or chosen go into the mail itself; nothing is fetched from elsewhere.
window.WharfCompose = (function () {
  function editorFor(form, texts) {
    if (texts.rich !== '1' || !window.Jodit) { return null; }
    return Jodit.make(form.querySelector('#f-body'), {
      language: texts.editorLanguage,
      height: 380,
      toolbarAdaptive: false,
      buttons: ['bold', 'italic', 'underline', 'strikethrough', '|', 'ul', 'ol', 'indent', 'outdent', '|',
        'font', 'fontsize', 'brush', 'paragraph', '|', 'image', 'table', 'link', 'hr', '|', 'align', '|',
        'undo', 'redo', '|', 'eraser', 'source', 'fullsize'],
      uploader: { insertImageAsBase64URI: true },
      filebrowser: { ajax: { url: '' } },
      askBeforePasteHTML: false,
      askBeforePasteFromWord: false,
      beautifyHTML: false,
      sourceEditor: 'area',
      showXPathInStatusbar: false,
      showCharsCounter: false,
      showWordsCounter: false,
      disablePlugins: ['speech-recognize', 'about', 'powered-by-jodit', 'ai-assistant', 'file']
    });
  }

  // Drafts are saved as you type (every few seconds and when leaving the page). If the
  // session has ended, the draft stays in this browser and comes back on the next visit.
  function drafts(form, texts, body, key) {
    var state = form.querySelector('#draft-state');
    var fields = ['to', 'cc', 'bcc', 'subject', 'body'];
    function values() {
      var p = new URLSearchParams();
      body();
      ['account_id', 'to', 'cc', 'bcc', 'subject', 'body', 'reply_to', 'forward_of', 'draft_id', 'format'].forEach(function (n) {
        var el = form.elements[n];
        if (el) { p.set(n, el.value); }
      });
      return p;
    }
    var kept = localStorage.getItem(key);
    if (kept && !form.querySelector('#form-error')) {
      try {
        var v = JSON.parse(kept);
        fields.forEach(function (n) { if (v[n] && form.elements[n]) { form.elements[n].value = v[n]; } });
        if (form.wharfEditor && v.body) { form.wharfEditor.value = v.body; }
        state.textContent = texts.restored;
      } catch (e) { /* a damaged copy is ignored */ }
    }
    var last = values().toString();
    var stopped = false;
    function save(useBeacon) {
      if (stopped) { return; }
      var p = values();
      var now = p.toString();
      if (now === last) { return; }
      last = now;
      var copy = {};
      fields.forEach(function (n) { copy[n] = p.get(n); });
      try { localStorage.setItem(key, JSON.stringify(copy)); } catch (e) { /* full: the server copy remains */ }
      if (useBeacon && navigator.sendBeacon) {
        p.set('_csrf', texts.csrf);
        navigator.sendBeacon('/mail/drafts', new Blob([p.toString()], { type: 'application/x-www-form-urlencoded' }));
        return;
      }
      fetch('/mail/drafts', { method: 'POST', body: p, credentials: 'same-origin', headers: { 'Accept': 'application/json', 'X-CSRF-Token': texts.csrf } })
        .then(function (r) {
          if (!r.ok) { throw new Error(String(r.status)); }
          return r.json();
        })
        .then(function (j) {
          if (stopped) { return; }
          form.querySelector('#f-draft_id').value = j.id;
          state.textContent = texts.saved + ' ' + j.when;
          localStorage.removeItem(key);
        })
        .catch(function () { if (!stopped) { state.textContent = texts.keptLocally; } });
    }
    var timer = setInterval(function () { save(false); }, 4000);
    function hidden() { if (document.visibilityState === 'hidden') { save(true); } }
    function leaving() { save(true); }
    document.addEventListener('visibilitychange', hidden);
    window.addEventListener('pagehide', leaving);
    return {
      // Saved now, as when leaving the page (the pane's form is going away).
      flush: function () { save(true); },
      // Sent or discarded: nothing more to save, and no copy to restore.
      stop: function () {
        stopped = true;
        clearInterval(timer);
        document.removeEventListener('visibilitychange', hidden);
        window.removeEventListener('pagehide', leaving);
        localStorage.removeItem(key);
      }
    };
  }

  // Attachments by drag and drop: files dropped on the zone join the chosen ones.
  function dropZone(form) {
    var zone = form.querySelector('#drop-zone');
    var input = form.querySelector('#f-files');
    var list = form.querySelector('#chosen-files');
    if (!zone || !input || !list) { return; }
    function show() {
      list.innerHTML = '';
      Array.prototype.forEach.call(input.files, function (f) {
        var li = document.createElement('li');
        li.textContent = f.name + ' (' + Math.ceil(f.size / 1024) + ' KB)';
        list.appendChild(li);
      });
    }
    input.addEventListener('change', show);
    ['dragenter', 'dragover'].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add('over'); });
    });
    zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      zone.classList.remove('over');
      var all = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { all.items.add(f); });
      Array.prototype.forEach.call(e.dataTransfer.files, function (f) { all.items.add(f); });
      input.files = all.files;
      show();
    });
  }

  // Replies: write above the quoted original.
  function caret(form) {
    var ed = form.wharfEditor;
    if (ed) {
      // The caret starts on the first line, above the signature and the quote.
      var first = ed.editor.firstChild;
      ed.s.focus();
      if (first) { ed.s.setCursorIn(first, true); }
      return;
    }
    var body = form.querySelector('#f-body');
    var to = form.querySelector('#f-to');
    if (body && to && to.value && !form.querySelector('#form-error')) {
      body.focus();
      body.setSelectionRange(0, 0);
      body.scrollTop = 0;
    }
  }

  function start(form, key) {
    var texts = form.dataset;
    form.wharfEditor = editorFor(form, texts);
    // The editor of the form being written, for scripts that drive it (browser tests).
    window.wharfEditor = form.wharfEditor;
    function body() {
      var el = form.querySelector('#f-body');
      if (form.wharfEditor) { el.value = form.wharfEditor.value; }
      return el.value;
    }
    var saving = drafts(form, texts, body, key);
    dropZone(form);
    caret(form);
    if (window.WharfRecipients) { window.WharfRecipients.attach(form); }
    return {
      body: body,
      flush: saving.flush,
      stop: function () {
        saving.stop();
        if (form.wharfEditor) { form.wharfEditor.destruct(); form.wharfEditor = null; }
      }
    };
  }

  // The compose page itself (the pane's copy is started by mail_compose.js).
  var own = document.getElementById('compose');
  if (own && !document.getElementById('mailbox')) {
    var page = start(own, 'wharf-draft:' + location.search);
    own.addEventListener('submit', function () {
      page.body();
      localStorage.removeItem('wharf-draft:' + location.search);
      own.querySelector('#send').disabled = true;
      own.querySelector('#send-state').textContent = own.dataset.sending;
    });
  }
  return { start: start };
})();
