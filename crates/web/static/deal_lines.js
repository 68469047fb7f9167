// The opportunity form's lines (features/deals/form.rs): typing in a line's name asks the
// product picker (/products/pick, JSON) for matching products in the form's currency and
// the line's quantity; choosing one fills the line (product id, name, unit, the tier's
// unit price). "Add a line" copies an empty row. Without JavaScript the form has blank
// rows and lines are typed by hand.
(function () {
  'use strict';
  var table = document.getElementById('deal-lines');
  if (!table) { return; }
  var body = table.querySelector('tbody');
  var currency = document.getElementById('f-currency');
  var timer = null;
  var seq = 0;

  function field(row, name) { return row.querySelector('input[name="' + name + '"]'); }

  function closeLists() {
    table.querySelectorAll('.pick-list').forEach(function (l) { l.remove(); });
  }

  function choose(row, item) {
    field(row, 'line_product_id').value = item.id;
    field(row, 'line_name').value = item.model ? item.name + ' ' + item.model : item.name;
    if (item.unit && !field(row, 'line_unit').value) { field(row, 'line_unit').value = item.unit; }
    if (item.unit_price) { field(row, 'line_unit_price').value = item.unit_price; }
    if (!field(row, 'line_quantity').value) { field(row, 'line_quantity').value = '1'; }
    closeLists();
  }

  function show(row, input, items) {
    closeLists();
    if (!items.length) { return; }
    var list = document.createElement('ul');
    list.className = 'pick-list';
    items.forEach(function (item) {
      var li = document.createElement('li');
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = [item.name, item.model, item.price_text || (item.currencies || []).join(' / ')]
        .filter(function (x) { return x; }).join(' · ');
      b.addEventListener('click', function () { choose(row, item); input.focus(); });
      li.appendChild(b);
      list.appendChild(li);
    });
    input.parentNode.appendChild(list);
  }

  function ask(row, input) {
    var q = input.value.trim();
    if (q.length < 2) { closeLists(); return; }
    var qty = (field(row, 'line_quantity').value || '1').replace(/,/g, '');
    var url = '/products/pick?q=' + encodeURIComponent(q) + '&qty=' + encodeURIComponent(qty) +
      (currency && currency.value ? '&currency=' + encodeURIComponent(currency.value) : '');
    var mine = ++seq;
    fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(function (res) { return res.ok ? res.json() : {items: []}; })
      .then(function (data) { if (mine === seq) { show(row, input, (data && data.items) || []); } })
      .catch(function () { closeLists(); });
  }

  body.addEventListener('input', function (e) {
    var input = e.target;
    if (input.name !== 'line_name') { return; }
    var row = input.closest('tr');
    // A name typed by hand is no longer the picked product.
    field(row, 'line_product_id').value = '';
    clearTimeout(timer);
    timer = setTimeout(function () { ask(row, input); }, 250);
  });

  body.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { closeLists(); }
    if (e.key === 'ArrowDown' && e.target.name === 'line_name') {
      var first = e.target.parentNode.querySelector('.pick-list button');
      if (first) { e.preventDefault(); first.focus(); }
    }
  });

  document.addEventListener('click', function (e) {
    if (!e.target.closest || !e.target.closest('.pick-list')) { closeLists(); }
  });

  var add = document.getElementById('add-line');
  if (add) {
    add.hidden = false;
    add.addEventListener('click', function () {
      var rows = body.querySelectorAll('tr.deal-line');
      var copy = rows[rows.length - 1].cloneNode(true);
      copy.querySelectorAll('input').forEach(function (i) { i.value = ''; });
      body.appendChild(copy);
      field(copy, 'line_name').focus();
    });
  }
})();
