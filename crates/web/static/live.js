// One live connection to /mail/events for all of this browser's tabs (SPEC RUN-3):
// a SharedWorker (live_worker.js) holds the stream and hands its events to every tab;
// where there is none (Safari on iOS, Chrome on Android), one leader tab — the holder of
// a Web Lock — holds it and passes its events on a BroadcastChannel, and when it closes
// another tab takes over; only without both does each tab open its own. Parts of the
// page subscribe with
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
  // The leader tab: whoever holds the lock streams for all; the others listen. A tab that
  // joins asks, and the leader answers with the latest counts and sends under way.
  function leaderStream() {
    var channel = new window.BroadcastChannel('wharf-live');
    var latest = {};
    channel.onmessage = function (e) {
      var m = e.data || {};
      if (m.hello && leading) {
        Object.keys(latest).forEach(function (t) { channel.postMessage({type: t, data: latest[t]}); });
      } else if (m.type) {
        deliver(m.type, m.data);
      }
    };
    var leading = false;
    navigator.locks.request('wharf-live-leader', function () {
      leading = true;
      live.mode = 'leader';
      var es = new EventSource('/mail/events');
      TYPES.forEach(function (t) {
        es.addEventListener(t, function (e) {
          // The state so far (not one-off news) for tabs that join later.
          if (t === 'counts' || t === 'sending') { latest[t] = e.data; }
          deliver(t, e.data);
          channel.postMessage({type: t, data: e.data});
        });
      });
      // Held until this tab goes; then the next tab in line leads.
      return new Promise(function (release) {
        window.addEventListener('pagehide', function () { es.close(); release(); });
      });
    });
    live.mode = 'follower';
    channel.postMessage({hello: 1});
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
      } catch (err) { /* no worker here: a leader tab, or a stream of our own */ }
    }
    if (window.BroadcastChannel && navigator.locks && window.EventSource) {
      try { leaderStream(); return; } catch (err) { /* a stream of our own */ }
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
