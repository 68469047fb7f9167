// The tracking screen's keyboard (listed in #keys), not while typing in a field:
// n next customer, p previous, r add a record, s the scripts, / search the scripts,
// l back to the list.
(function () {
  if (!document.getElementById('track-bar')) { return; }
  function go(id) { var a = document.getElementById(id); if (a && a.href) { window.location.assign(a.href); return true; } return false; }
  function focus(id) { var el = document.getElementById(id); if (el) { el.focus(); return true; } return false; }
  document.addEventListener('keydown', function (e) {
    var t = e.target.tagName;
    if (t === 'INPUT' || t === 'TEXTAREA' || t === 'SELECT' || e.target.isContentEditable || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var done = false;
    switch (e.key) {
      case 'n': done = go('track-next'); break;
      case 'p': done = go('track-prev'); break;
      case 'l': done = go('track-list'); break;
      case 'r': {
        var add = document.getElementById('record-add');
        if (add) { add.open = true; done = focus('f-content'); }
        break;
      }
      case 's': {
        var s = document.getElementById('scripts');
        if (s) { s.scrollIntoView({block: 'start'}); var first = s.querySelector('details summary'); if (first) { first.focus(); } done = true; }
        break;
      }
      case '/': done = focus('f-sq'); break;
      default: break;
    }
    if (done) { e.preventDefault(); }
  });
}());
