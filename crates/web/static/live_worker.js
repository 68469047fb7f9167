// The SharedWorker behind live.js: one EventSource for every tab of this browser; each
// event goes to every tab, and a tab that joins gets the latest counts and list of
// sends under way at once. The stream closes when the last tab leaves.
var ports = [];
var latest = {};
var stream = null;
var TYPES = ['counts', 'sending', 'delivery', 'reminder'];

function send(port, type, data) {
  try { port.postMessage({type: type, data: data}); } catch (e) { /* a closed tab */ }
}

function open() {
  stream = new EventSource('/mail/events');
  TYPES.forEach(function (type) {
    stream.addEventListener(type, function (e) {
      // Deliveries and reminders are news once, not a state a joining tab needs.
      if (type !== 'delivery' && type !== 'reminder') { latest[type] = e.data; }
      ports.forEach(function (p) { send(p, type, e.data); });
    });
  });
}

self.onconnect = function (e) {
  var port = e.ports[0];
  ports.push(port);
  port.onmessage = function (m) {
    if (m.data !== 'bye') { return; }
    ports = ports.filter(function (p) { return p !== port; });
    if (!ports.length && stream) { stream.close(); stream = null; latest = {}; }
  };
  port.start();
  if (!stream) { open(); }
  Object.keys(latest).forEach(function (type) { send(port, type, latest[type]); });
};
