// One live connection to /mail/events for all of this browser's tabs (SPEC RUN-3):
// a SharedWorker (live_worker.js) holds the stream and hands its events to every tab;
// where there is none, each tab opens its own. Parts of the page subscribe with
// WharfLive.on('counts' | 'sending' | 'delivery' | 'reminder', function (data) {…}).
(function () {
  var handlers = {};
  var TYPES = ['counts', 'sending', 'delivery', 'reminder'];
  function deliver(type, raw) {
    var data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    (handlers[type] || []).forEach(function (fn) { fn(data); });
  }
  function ownStream() {
    if (!window.EventSource) { return; }
    var es = new EventSource('/mail/events');
    TYPES.forEach(function (t) { es.addEventListener(t, function (e) { deliver(t, e.data); }); });
    // Free the connection when leaving the page (browsers allow only a few per server).
    window.addEventListener('pagehide', function () { es.close(); });
    live.mode = 'tab';
  }
  var started = false;
  function start() {
    if (started) { return; }
    started = true;
    var worker = document.body.getAttribute('data-live-worker');
    if (window.SharedWorker && worker) {
      try {
        var w = new window.SharedWorker(worker, {name: 'wharf-live'});
        w.port.onmessage = function (e) { if (e.data && e.data.type) { deliver(e.data.type, e.data.data); } };
        w.port.start();
        window.addEventListener('pagehide', function () { w.port.postMessage('bye'); });
        live.mode = 'shared';
        return;
      } catch (err) { /* no worker here: a stream of our own */ }
    }
    ownStream();
  }
  var live = {
    mode: null,
    on: function (type, fn) {
      (handlers[type] = handlers[type] || []).push(fn);
      // After the page's scripts have subscribed, so the first events reach them all.
      window.setTimeout(start, 0);
    }
  };
  window.WharfLive = live;
})();
