// The mailbox kept current from the live stream: when the counts change (new mail, or
// mail read or answered in another tab) the list and the folders are fetched again and
// swapped in, the open message and the list's scroll left as they are; when a send of
// the open message ends, its pane is fetched again ("Sending…" becomes sent, or failed
// with the reason and a way to send again).
(function () {
  if (!window.WharfLive || !window.WharfMail) { return; }
  var first = true;
  window.WharfLive.on('counts', function () {
    // The first counts describe the page as drawn.
    if (first) { first = false; return; }
    window.WharfMail.refreshList();
  });
  function openDelivery() {
    var d = document.getElementById('delivery');
    if (!d) { return null; }
    return {id: Number(d.getAttribute('data-message')), state: d.getAttribute('data-state')};
  }
  function pending(state) { return state === 'queued' || state === 'retrying'; }
  // A send that ended between the page and the stream.
  window.WharfLive.on('sending', function (s) {
    var d = openDelivery();
    if (d && pending(d.state) && (s.message_ids || []).indexOf(d.id) < 0) { window.WharfMail.refreshPane(); }
  });
  window.WharfLive.on('delivery', function (e) {
    var d = openDelivery();
    if (d && d.id === e.message_id && d.state !== e.state) {
      var el = document.getElementById('delivery');
      // At once, then the pane as the server draws it.
      el.textContent = e.text;
      el.classList.toggle('err', !!e.failed);
      el.setAttribute('data-state', e.state);
      window.WharfMail.refreshPane();
    }
    if (document.getElementById('msg-' + e.message_id)) { window.WharfMail.refreshList(); }
  });
})();
