// Recipient suggestions in the compose page's To / Cc / Bcc boxes: as one types after
// the last comma, /api/v1/mail/recipients offers visible contacts and recent
// recipients in a datalist; picking one keeps the recipients typed before it.
(function () {
  var boxes = ['f-to', 'f-cc', 'f-bcc'].map(function (id) { return document.getElementById(id); })
    .filter(function (el) { return el; });
  if (!boxes.length || !window.fetch) { return; }
  var list = document.createElement('datalist');
  list.id = 'recipient-options';
  document.body.appendChild(list);
  var timer = null;
  var asked = '';
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
        list.textContent = '';
        items.forEach(function (s) {
          var o = document.createElement('option');
          o.value = parts.head + s.value;
          o.label = s.label;
          list.appendChild(o);
        });
      })
      .catch(function () { list.textContent = ''; });
  }
  boxes.forEach(function (box) {
    box.setAttribute('list', 'recipient-options');
    box.setAttribute('autocomplete', 'off');
    box.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { suggest(box); }, 150);
    });
  });
})();
