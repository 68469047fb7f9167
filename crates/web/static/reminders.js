// A contact record's reminder, pushed live to the author's open tabs (the `reminder`
// event of /mail/events, features/records/reminders.rs): shown as a notice with the
// customer, the record's text and a link to the customer's history, until dismissed.
(function () {
  var box = document.getElementById('live-reminder');
  if (!box || !window.WharfLive) { return; }
  var queue = [];
  function show() {
    var r = queue[0];
    if (!r) { box.hidden = true; return; }
    document.getElementById('live-reminder-title').textContent = r.title || '';
    document.getElementById('live-reminder-text').textContent = r.text || '';
    var link = document.getElementById('live-reminder-link');
    if (typeof r.href === 'string' && r.href.charAt(0) === '/') { link.href = r.href; }
    box.hidden = false;
  }
  document.getElementById('live-reminder-close').addEventListener('click', function () {
    queue.shift();
    show();
  });
  window.WharfLive.on('reminder', function (r) {
    queue.push(r);
    if (queue.length === 1) { show(); }
  });
})();
