// The mailbox without page loads: opening a message fetches the reading pane alone
// (`?fragment=1`); other mailbox links, the pane's forms (archive, tags, marks, filing,
// notes) and Back fetch the page and swap its three panes, keeping the list's scroll
// and the selected row. The URL follows (history.pushState), so Back and reload work.
// Without JavaScript every link and form does what it says by itself.
(function () {
  var box = document.getElementById('mailbox');
  if (!box || !window.fetch || !window.DOMParser || !window.history.pushState) { return; }
  var PANES = ['mail-views', 'mail-list', 'mail-read'];
  function pane(id) { return document.getElementById(id); }
  function list() { return pane('mail-list'); }
  // Where the list was last scrolled while shown (the phone hides it under a message,
  // and a hidden element has no scroll position).
  var listScroll = 0;
  function shown(el) { return el.getClientRects().length > 0; }
  function rememberScroll() { if (shown(list())) { listScroll = list().scrollTop; } }

  // The list a URL shows: its query without the open message and image choice.
  function listKey(href) {
    var u = new URL(href, window.location.href);
    u.searchParams.delete('m');
    u.searchParams.delete('images');
    u.searchParams.delete('fragment');
    if (!u.searchParams.get('view')) { u.searchParams.set('view', 'inbox'); }
    u.searchParams.sort();
    return u.pathname + '?' + u.searchParams.toString();
  }
  function openId(href) { return new URL(href, window.location.href).searchParams.get('m'); }
  function isMailbox(href) {
    var u = new URL(href, window.location.href);
    return u.origin === window.location.origin && u.pathname === '/mail';
  }

  function rows() { return Array.prototype.slice.call(list().querySelectorAll('ul.messages > li[id^="msg-"]')); }
  function markOpen(id) {
    rows().forEach(function (li) {
      var on = li.id === 'msg-' + id;
      li.classList.toggle('on', on);
      if (on) { li.classList.remove('unread'); }
    });
  }

  var asked = 0;
  function fail(href) { window.location.assign(href); }

  function openMessage(href, push) {
    var mine = ++asked;
    rememberScroll();
    var u = new URL(href, window.location.href);
    u.searchParams.set('fragment', '1');
    fetch(u.toString(), {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
      .then(function (r) {
        if (!r.ok || r.redirected) { throw new Error('pane ' + r.status); }
        return r.text();
      })
      .then(function (html) {
        if (mine !== asked) { return; }
        pane('mail-read').innerHTML = html;
        pane('mail-read').scrollTop = 0;
        box.classList.add('has-message');
        markOpen(openId(href));
        if (push) { window.history.pushState({wharfMail: 1}, '', href); }
        document.dispatchEvent(new CustomEvent('wharf:pane'));
      })
      .catch(function () { if (mine === asked) { fail(href); } });
  }

  // Puts the panes of a fetched mailbox page in place of ours; `keepList` leaves the
  // list as it is (Back to the same list). Anything else replaces the document.
  function swap(html, url, push, keepList, only) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var next = doc.getElementById('mailbox');
    if (!next) {
      window.history.replaceState(null, '', url);
      document.open();
      document.write(html);
      document.close();
      return;
    }
    var sameList = listKey(url) === (list().dataset.key || listKey(window.location.href));
    rememberScroll();
    var top = listScroll;
    var selected = list().querySelector('li.selected');
    var selectedId = selected && selected.id;
    (only || PANES).forEach(function (id) {
      if (id === 'mail-list' && keepList) { return; }
      var mine = pane(id), theirs = doc.getElementById(id);
      if (mine && theirs) { mine.innerHTML = theirs.innerHTML; }
    });
    if (only) {
      list().scrollTop = top;
      markOpen(openId(window.location.href));
      var again = selectedId && document.getElementById(selectedId);
      if (again) { again.classList.add('selected'); }
      return;
    }
    box.className = next.className;
    document.title = doc.title;
    if (push) { window.history.pushState({wharfMail: 1}, '', url); } else { window.history.replaceState({wharfMail: 1}, '', url); }
    list().scrollTop = sameList ? top : 0;
    rememberScroll();
    markOpen(openId(url));
    document.dispatchEvent(new CustomEvent('wharf:pane'));
  }

  var loads = 0;
  function load(href, init, push, keepList) {
    var mine = ++loads;
    asked++; // a pane still on its way is not wanted any more
    fetch(href, Object.assign({credentials: 'same-origin', headers: {'Accept': 'text/html'}}, init || {}))
      .then(function (r) { return r.text().then(function (html) { return [r, html]; }); })
      .then(function (res) {
        if (mine !== loads) { return; }
        swap(res[1], res[0].url || href, push, keepList);
      })
      .catch(function () { if (!init) { fail(href); } });
  }

  // A link: a message of this list opens in the pane; other mailbox pages swap in.
  function follow(href, push) {
    var sameList = listKey(href) === listKey(window.location.href);
    if (sameList && openId(href)) { openMessage(href, push); return; }
    load(href, null, push, sameList);
  }

  document.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) { return; }
    var a = e.target.closest && e.target.closest('a[href]');
    if (!a || !box.contains(a) || a.target || a.hasAttribute('download')) { return; }
    var href = a.getAttribute('href');
    // The phone's folders pane: without this script the URL's #mail-views shows it
    // (CSS :target), which pushState would not clear; here a class shows it, with a
    // history entry of its own, and the folder picked there swaps its list in like on
    // the desktop (the swapped-in class list drops it again).
    if (href === '#mail-views') {
      e.preventDefault();
      window.history.pushState({wharfMail: 1}, '', window.location.href.split('#')[0]);
      box.classList.add('show-views');
      return;
    }
    if (href.charAt(0) === '#' || !isMailbox(a.href)) { return; }
    e.preventDefault();
    follow(a.href, true);
  });

  // The reading pane's forms and the list's searches, sent by fetch; their answer (the
  // mailbox the server sends back to) swaps in. The confirmation script runs first.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    // The compose form in the pane is multipart (attachments): mail_compose.js sends it.
    if (e.defaultPrevented || !box.contains(form) || form.enctype === 'multipart/form-data') { return; }
    var action = new URL(form.getAttribute('action') || window.location.href, window.location.href);
    if (action.origin !== window.location.origin || action.pathname.indexOf('/mail') !== 0) { return; }
    var data = new FormData(form);
    if (e.submitter && e.submitter.name) { data.append(e.submitter.name, e.submitter.value); }
    e.preventDefault();
    if ((form.getAttribute('method') || 'get').toLowerCase() === 'get') {
      action.search = new URLSearchParams(data).toString();
      follow(action.toString(), true);
      return;
    }
    load(action.toString(), {method: 'POST', body: new URLSearchParams(data)}, false, false);
  });

  window.addEventListener('popstate', function () {
    var href = window.location.href;
    var sameList = listKey(href) === listKey(pane('mail-list').dataset.key || href);
    if (openId(href) && sameList) { openMessage(href, false); return; }
    load(href, null, false, sameList);
  });
  list().dataset.key = listKey(window.location.href);
  document.addEventListener('wharf:pane', function () { list().dataset.key = listKey(window.location.href); });

  // The list and folders again, the open message left alone (mail_live.js).
  var refreshing = 0;
  function refreshList() {
    var mine = ++refreshing;
    var href = window.location.href;
    fetch(href, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html && mine === refreshing && href === window.location.href) { swap(html, href, false, false, ['mail-views', 'mail-list']); }
      })
      .catch(function () { /* the next change tries again */ });
  }

  // For the keyboard and the live stream (mail_keys.js, mail_live.js).
  window.WharfMail = {
    open: function (href) { follow(href, true); },
    refreshList: refreshList,
    refreshPane: function () { if (openId(window.location.href)) { openMessage(window.location.href, false); } }
  };
})();
