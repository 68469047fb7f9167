// The mailbox's panes: the handles between folders, list and message drag their widths
// (kept in localStorage, so the next visit opens as left), and the message frame grows
// to its mail's height, which the frame's own script posts (the sandbox hides it).
(function () {
  var box = document.getElementById('mailbox');
  if (!box) { return; }
  var KEY = 'wharf.mail.panes';
  var LIMITS = {side: [140, 420], list: [240, 900]};
  function saved() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || '{}') || {}; } catch (e) { return {}; }
  }
  function apply(widths) {
    Object.keys(LIMITS).forEach(function (k) {
      var w = Number(widths[k]);
      if (w >= LIMITS[k][0] && w <= LIMITS[k][1]) { box.style.setProperty('--' + k + '-width', w + 'px'); }
    });
  }
  apply(saved());
  Array.prototype.forEach.call(box.querySelectorAll('.pane-handle[data-resize]'), function (handle) {
    var which = handle.getAttribute('data-resize');
    var pane = handle.previousElementSibling;
    handle.addEventListener('pointerdown', function (down) {
      down.preventDefault();
      handle.setPointerCapture(down.pointerId);
      handle.classList.add('dragging');
      var start = pane.getBoundingClientRect().width;
      var widths = saved();
      function move(e) {
        var w = Math.round(start + e.clientX - down.clientX);
        widths[which] = Math.max(LIMITS[which][0], Math.min(LIMITS[which][1], w));
        apply(widths);
      }
      function up() {
        handle.classList.remove('dragging');
        handle.removeEventListener('pointermove', move);
        handle.removeEventListener('pointerup', up);
        try { window.localStorage.setItem(KEY, JSON.stringify(widths)); } catch (e) { /* private mode: not kept */ }
      }
      handle.addEventListener('pointermove', move);
      handle.addEventListener('pointerup', up);
    });
  });
  // Only heights from our own body frame, and never absurd ones.
  window.addEventListener('message', function (e) {
    var frame = document.getElementById('mail-body');
    if (!frame || e.source !== frame.contentWindow || !e.data) { return; }
    var h = Number(e.data.wharfFrameHeight);
    if (h > 0 && h < 100000) { frame.style.height = Math.max(h, 120) + 'px'; }
  });
})();
