// The mailbox's keyboard (listed on the "?" overlay), not while typing in a field:
// j / k or the arrows move through the list (on a wide screen the message opens in the
// pane as the cursor moves), Enter opens, and the letters act on the open message.
(function () {
  var overlay = document.getElementById('shortcuts');
  var box = document.getElementById('mailbox');
  if (!overlay || !box) { return; }
  var wide = window.matchMedia ? window.matchMedia('(min-width: 901px)') : {matches: true};
  function rows() { return Array.prototype.slice.call(document.querySelectorAll('#mail-list ul.messages > li[id^="msg-"]')); }
  function cursor() {
    var all = rows();
    var i = all.findIndex(function (li) { return li.classList.contains('selected'); });
    return i >= 0 ? i : all.findIndex(function (li) { return li.classList.contains('on'); });
  }
  function open(li) {
    var a = li && li.querySelector('a[href]');
    if (!a) { return; }
    if (window.WharfMail) { window.WharfMail.open(a.href); } else { window.location.assign(a.href); }
  }
  function move(by) {
    var all = rows();
    if (!all.length) { return; }
    var i = Math.max(0, Math.min(all.length - 1, cursor() + by));
    all.forEach(function (li, j) { li.classList.toggle('selected', j === i); });
    all[i].scrollIntoView({block: 'nearest'});
    if (wide.matches) { open(all[i]); }
  }
  function click(id) { var el = document.getElementById(id); if (el) { el.click(); } }
  document.getElementById('close-shortcuts').addEventListener('click', function () { overlay.hidden = true; });
  // The "?" button in the list's head is there only with this script.
  document.addEventListener('click', function (e) {
    if (e.target.closest && e.target.closest('#keys-help')) { overlay.hidden = !overlay.hidden; }
  });
  function showHelpButton() { var b = document.getElementById('keys-help'); if (b) { b.hidden = false; } }
  showHelpButton();
  document.addEventListener('wharf:pane', showHelpButton);
  var pendingG = false;
  document.addEventListener('keydown', function (e) {
    var t = e.target.tagName;
    if (t === 'INPUT' || t === 'TEXTAREA' || t === 'SELECT' || e.target.isContentEditable || e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (pendingG) {
      pendingG = false;
      if (e.key === 'i') { click('view-inbox'); } else if (e.key === 'p') { click('view-pending'); } else if (e.key === 's') { click('view-sent'); }
      return;
    }
    switch (e.key) {
      case 'j': case 'ArrowDown': move(1); break;
      case 'k': case 'ArrowUp': move(-1); break;
      case 'Enter':
        if (t === 'A' || t === 'BUTTON') { return; }
        open(rows()[cursor()]);
        break;
      case 'r': click('reply'); break;
      case 'a': click('reply-all'); break;
      case 'f': click('forward'); break;
      case 'c': click('compose-new'); break;
      case 's': click('star'); break;
      case 'u': click('mark-unread'); break;
      case 'e': click('dismiss'); break;
      case '#': case 'Delete': click('trash'); break;
      case 'g': pendingG = true; break;
      case '?': overlay.hidden = !overlay.hidden; break;
      case 'Escape':
        if (!overlay.hidden) { overlay.hidden = true; break; }
        if (!wide.matches) { click('pane-back'); }
        break;
      default: return;
    }
    e.preventDefault();
  });
})();
