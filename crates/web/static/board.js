// The opportunity board (features/deals/board.rs): drag a card to another column to move
// it. The drop posts the card's own move form (its CSRF token, the stage) through the
// same route and rules as the no-JavaScript button, asking for JSON; on success the page
// reloads (counts, totals and the pipeline value are the server's), on refusal the
// translated message is shown and the card stays.
(function () {
  'use strict';
  var board = document.getElementById('board');
  if (!board) { return; }
  var errorBox = document.getElementById('board-error');
  var dragged = null;

  function showError(text) {
    if (!errorBox) { return; }
    errorBox.textContent = text || board.getAttribute('data-error') || '';
    errorBox.hidden = false;
  }

  board.addEventListener('dragstart', function (e) {
    var card = e.target.closest ? e.target.closest('.board-card[draggable="true"]') : null;
    if (!card) { return; }
    dragged = card;
    card.classList.add('dragging');
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', card.getAttribute('data-id'));
  });

  board.addEventListener('dragend', function () {
    if (dragged) { dragged.classList.remove('dragging'); }
    dragged = null;
    board.querySelectorAll('.board-col.drop').forEach(function (c) { c.classList.remove('drop'); });
  });

  board.addEventListener('dragover', function (e) {
    var col = e.target.closest ? e.target.closest('.board-col') : null;
    if (!col || !dragged) { return; }
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    board.querySelectorAll('.board-col.drop').forEach(function (c) { if (c !== col) { c.classList.remove('drop'); } });
    col.classList.add('drop');
  });

  board.addEventListener('drop', function (e) {
    var col = e.target.closest ? e.target.closest('.board-col') : null;
    if (!col || !dragged) { return; }
    e.preventDefault();
    var card = dragged;
    var stage = col.getAttribute('data-stage');
    if (card.closest('.board-col') === col) { return; }
    var form = card.querySelector('form.card-move');
    if (!form) { return; }
    var data = new URLSearchParams(new FormData(form));
    data.set('stage_id', stage);
    data.delete('back');
    col.querySelector('.board-cards').appendChild(card);
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded'},
      body: data.toString()
    }).then(function (res) {
      if (res.ok) { window.location.reload(); return null; }
      return res.json().then(function (body) {
        showError(body && body.error && body.error.message);
      }, function () { showError(''); }).then(function () { window.location.reload(); });
    }, function () { showError(''); });
  });
})();
