// The quote editor's line table: add a line or a group header, move and remove rows,
// and live totals while typing (a preview: the server computes the stored amounts
// exactly, in decimals). Without this script the form still works with its blank rows.
(function () {
  "use strict";
  var form = document.getElementById("quote-form");
  if (!form) return;
  form.classList.add("js");
  var body = document.getElementById("quote-rows");
  var totalOut = document.getElementById("quote-total");
  var currency = document.getElementById("f-currency");
  // Currencies without minor units (the server knows the whole ISO list).
  var WHOLE = { JPY: 1, KRW: 1, VND: 1, CLP: 1, ISK: 1, UGX: 1, PYG: 1, XAF: 1, XOF: 1 };

  function minor() {
    return currency && WHOLE[currency.value] ? 0 : 2;
  }

  // "1,234.50" or full-width digits → a number; NaN when it is not one.
  function num(text) {
    var t = (text || "").replace(/[\uff10-\uff19]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).replace(/\uff0e/g, ".").replace(/[,\uff0c\s%]/g, "");
    if (t === "") return NaN;
    return /^\d+(\.\d+)?$/.test(t) ? parseFloat(t) : NaN;
  }

  function fmt(n) {
    var d = minor();
    var s = (Math.round(n * Math.pow(10, d)) / Math.pow(10, d)).toFixed(d);
    var parts = s.split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return parts.join(".");
  }

  function field(row, name) {
    return row.querySelector('[name="line_' + name + '"]');
  }

  function recalc() {
    var total = 0;
    var groupOut = null;
    var groupSum = 0;
    function closeGroup() {
      if (groupOut) groupOut.textContent = fmt(groupSum);
    }
    Array.prototype.forEach.call(body.rows, function (row) {
      var out = row.querySelector(".line-amount");
      var isGroup = field(row, "kind").value === "group";
      row.classList.toggle("is-group", isGroup);
      if (isGroup) {
        closeGroup();
        groupOut = out;
        groupSum = 0;
        return;
      }
      var q = num(field(row, "quantity").value);
      var p = num(field(row, "unit_price").value);
      var dText = field(row, "discount").value;
      var d = dText.trim() === "" ? 0 : num(dText);
      if (isNaN(q) || isNaN(p) || isNaN(d)) {
        out.textContent = "";
        return;
      }
      var amount = Math.round(q * p * (100 - d) / 100 * Math.pow(10, minor())) / Math.pow(10, minor());
      out.textContent = fmt(amount);
      total += amount;
      groupSum += amount;
    });
    closeGroup();
    totalOut.textContent = fmt(total);
  }

  function blankRow(kind) {
    var model = body.rows[body.rows.length - 1];
    var row = model.cloneNode(true);
    row.classList.remove("has-error");
    Array.prototype.forEach.call(row.querySelectorAll("input, textarea"), function (el) {
      el.value = "";
    });
    Array.prototype.forEach.call(row.querySelectorAll(".err"), function (el) {
      el.remove();
    });
    field(row, "kind").value = kind;
    row.querySelector(".line-amount").textContent = "";
    return row;
  }

  document.getElementById("add-line").addEventListener("click", function () {
    var row = blankRow("item");
    body.appendChild(row);
    field(row, "name").focus();
    recalc();
  });
  document.getElementById("add-group").addEventListener("click", function () {
    var row = blankRow("group");
    body.appendChild(row);
    field(row, "name").focus();
    recalc();
  });
  body.addEventListener("click", function (e) {
    var button = e.target.closest("button");
    if (!button) return;
    var row = button.closest("tr");
    if (button.classList.contains("row-up") && row.previousElementSibling) {
      body.insertBefore(row, row.previousElementSibling);
    } else if (button.classList.contains("row-down") && row.nextElementSibling) {
      body.insertBefore(row.nextElementSibling, row);
    } else if (button.classList.contains("row-remove")) {
      if (body.rows.length > 1) {
        row.remove();
      } else {
        Array.prototype.forEach.call(row.querySelectorAll("input, textarea"), function (el) {
          el.value = "";
        });
      }
    }
    recalc();
  });

  // The product picker: typing two or more characters in a line's item looks the
  // catalog up (/products/pick, in the quote's currency and the line's quantity); a
  // choice fills the line from the product (a snapshot the server stores as typed).
  var pickTimer = null;
  var pickList = document.createElement("ul");
  pickList.className = "product-picks";
  pickList.hidden = true;
  function closePicks() {
    pickList.hidden = true;
    pickList.textContent = "";
  }
  function pick(input) {
    var row = input.closest("tr");
    if (field(row, "kind").value === "group") return;
    var q = input.value.trim();
    if (q.length < 2) {
      closePicks();
      return;
    }
    var qty = num(field(row, "quantity").value);
    var url = "/products/pick?q=" + encodeURIComponent(q) +
      (currency ? "&currency=" + encodeURIComponent(currency.value) : "") +
      (isNaN(qty) ? "" : "&qty=" + qty);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (data) {
        pickList.textContent = "";
        (data.items || []).forEach(function (p) {
          var li = document.createElement("li");
          var b = document.createElement("button");
          b.type = "button";
          b.className = "linklike";
          b.textContent = p.name + (p.model ? " · " + p.model : "") + (p.price_text ? " · " + p.price_text : "");
          b.addEventListener("click", function () {
            field(row, "product").value = String(p.id);
            field(row, "name").value = p.name;
            field(row, "model").value = p.model || "";
            field(row, "unit").value = p.unit || "";
            if (p.unit_price && (!currency || p.currency === currency.value)) {
              field(row, "unit_price").value = p.unit_price;
            }
            closePicks();
            recalc();
          });
          li.appendChild(b);
          pickList.appendChild(li);
        });
        pickList.hidden = pickList.children.length === 0;
        input.parentNode.appendChild(pickList);
      })
      .catch(closePicks);
  }
  body.addEventListener("input", function (e) {
    if (e.target.name === "line_name") {
      // A name typed by hand is free text again, not the picked product.
      field(e.target.closest("tr"), "product").value = "";
      clearTimeout(pickTimer);
      var input = e.target;
      pickTimer = setTimeout(function () { pick(input); }, 250);
    }
  });
  document.addEventListener("click", function (e) {
    if (!pickList.contains(e.target)) closePicks();
  });
  form.addEventListener("input", recalc);
  form.addEventListener("change", recalc);
  recalc();
})();
