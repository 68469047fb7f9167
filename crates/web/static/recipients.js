// Recipient suggestions in the compose form's To / Cc / Bcc boxes: as one types after
// the last comma, /api/v1/mail/recipients offers visible contacts and recent
// recipients in a datalist; picking one keeps the recipients typed before it.
// `WharfRecipients.attach(form)` sets up a form (compose.js calls it for the one in the
// reading pane); the compose page's own form is set up here.
window.WharfRecipients = (function () {
  if (!window.fetch) { return { attach: function () {} }; }
  var list = null;
  var timer = null;
  var asked = '';
  function options() {
    if (!list || !document.body.contains(list)) {
      list = document.createElement('datalist');
      list.id = 'recipient-options';
      document.body.appendChild(list);
    }
    return list;
  }
  function lastPart(value) {
    var i = value.lastIndexOf(',');
    return { head: i < 0 ? '' : value.slice(0, i + 1) + ' ', tail: value.slice(i + 1).trim() };
  }
  function suggest(box) {
    var parts = lastPart(box.value);
    if (parts.tail.length < 1 || parts.tail === asked || parts.tail.indexOf('<') >= 0) { return; }
    asked = parts.tail;
    fetch('/api/v1/mail/recipients?q=' + encodeURIComponent(parts.tail), { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (items) {
        var l = options();
        l.textContent = '';
        items.forEach(function (s) {
          var o = document.createElement('option');
          o.value = parts.head + s.value;
          o.label = s.label;
          l.appendChild(o);
        });
      })
      .catch(function () { options().textContent = ''; });
  }
  function attach(form) {
    options();
    ['f-to', 'f-cc', 'f-bcc'].forEach(function (id) {
      var box = form.querySelector('#' + id);
      if (!box) { return; }
      box.setAttribute('list', 'recipient-options');
      box.setAttribute('autocomplete', 'off');
      box.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(function () { suggest(box); }, 150);
      });
    });
  }
  var own = document.getElementById('compose');
  if (own && !document.getElementById('mailbox')) { attach(own); }
  return { attach: attach };
})();
