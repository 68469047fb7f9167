// The compose page (/mail/compose): the rich-text editor, drafts saved as one types,
// attachments by drag and drop. Texts and the CSRF token come from the form's data-
// attributes, so the page needs no inline script.
// The rich-text editor (Jodit, from npm, built into the server): images pasted, dropped
// or chosen go into the mail itself; nothing is fetched from elsewhere.
var form0 = document.getElementById('compose');
var texts = form0 ? form0.dataset : {};
var wharfEditor = null;
(function () {
  if (!form0 || texts.rich !== '1' || !window.Jodit) { return; }
  wharfEditor = Jodit.make('#f-body', {
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
})();
function wharfBody() {
  var body = document.getElementById('f-body');
  if (wharfEditor) { body.value = wharfEditor.value; }
  return body.value;
}
// Drafts are saved as you type (every few seconds and when leaving the page). If the
// session has ended, the draft stays in this browser and comes back on the next visit.
(function () {
  var form = form0;
  if (!form) { return; }
  var state = document.getElementById('draft-state');
  var key = 'wharf-draft:' + location.search;
  var fields = ['to', 'cc', 'bcc', 'subject', 'body'];
  function values() {
    var p = new URLSearchParams();
    wharfBody();
    ['account_id', 'to', 'cc', 'bcc', 'subject', 'body', 'reply_to', 'forward_of', 'draft_id', 'format'].forEach(function (n) {
      var el = form.elements[n];
      if (el) { p.set(n, el.value); }
    });
    return p;
  }
  var kept = localStorage.getItem(key);
  if (kept && !document.getElementById('form-error')) {
    try {
      var v = JSON.parse(kept);
      fields.forEach(function (n) { if (v[n] && form.elements[n]) { form.elements[n].value = v[n]; } });
      if (wharfEditor && v.body) { wharfEditor.value = v.body; }
      state.textContent = texts.restored;
    } catch (e) { /* a damaged copy is ignored */ }
  }
  var last = values().toString();
  function save(useBeacon) {
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
        document.getElementById('f-draft_id').value = j.id;
        state.textContent = texts.saved + ' ' + j.when;
        localStorage.removeItem(key);
      })
      .catch(function () { state.textContent = texts.keptLocally; });
  }
  setInterval(function () { save(false); }, 4000);
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') { save(true); } });
  window.addEventListener('pagehide', function () { save(true); });
  form.addEventListener('submit', function () {
    wharfBody();
    localStorage.removeItem(key);
    document.getElementById('send').disabled = true;
    document.getElementById('send-state').textContent = texts.sending;
  });
})();
// Attachments by drag and drop: files dropped on the zone join the chosen ones.
(function () {
  var zone = document.getElementById('drop-zone');
  var input = document.getElementById('f-files');
  var list = document.getElementById('chosen-files');
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
})();
// Replies: write above the quoted original.
(function () {
  if (wharfEditor) {
    // The caret starts on the first line, above the signature and the quote.
    var first = wharfEditor.editor.firstChild;
    wharfEditor.s.focus();
    if (first) { wharfEditor.s.setCursorIn(first, true); }
    return;
  }
  var body = document.getElementById('f-body');
  var to = document.getElementById('f-to');
  if (body && to && to.value && !document.getElementById('form-error')) {
    body.focus();
    body.setSelectionRange(0, 0);
    body.scrollTop = 0;
  }
})();
