// Sorting and filtering for the targets table. Without this script the table is complete and static.
(function () {
  'use strict';
  var table = document.getElementById('targets');
  if (!table || !table.tBodies.length || !table.tHead) return;
  document.documentElement.className += ' js';
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  var items = [];
  for (var r = 0; r < body.rows.length; r++) {
    var row = body.rows[r];
    if (row.getAttribute('data-h') !== null) items.push({ row: row, index: items.length, text: row.textContent.toLowerCase() });
  }

  function key(item, column) {
    var cell = item.row.cells[column];
    var value = cell.getAttribute('data-v');
    return value !== null ? value : cell.textContent.trim();
  }

  // A key that starts with a number ("12", "-3 expired") sorts as that number, before keys that do not ("-").
  var leadingNumber = /^-?\d+(\.\d+)?(\s|$)/;
  function compare(a, b) {
    var x = leadingNumber.test(a), y = leadingNumber.test(b);
    if (x && y) return parseFloat(a) - parseFloat(b);
    if (x !== y) return x ? -1 : 1;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
  }

  function sortBy(column) {
    var ascending = heads[column].getAttribute('aria-sort') !== 'ascending';
    for (var h = 0; h < heads.length; h++) heads[h].removeAttribute('aria-sort');
    heads[column].setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    items.sort(function (a, b) {
      return (ascending ? 1 : -1) * compare(key(a, column), key(b, column)) || a.index - b.index;
    });
    for (var i = 0; i < items.length; i++) body.appendChild(items[i].row);
  }

  for (var c = 0; c < heads.length; c++) {
    var button = document.createElement('button');
    button.type = 'button';
    while (heads[c].firstChild) button.appendChild(heads[c].firstChild);
    heads[c].appendChild(button);
    button.addEventListener('click', sortBy.bind(null, c));
  }

  var controls = document.getElementById('controls');
  var query = document.getElementById('q');
  var health = document.getElementById('fh');
  var severity = document.getElementById('fs');
  var shown = document.getElementById('shown');

  function filter() {
    var text = query.value.trim().toLowerCase();
    var wanted = health.value;
    var least = severity.value === '' ? -2 : Number(severity.value);
    var count = 0;
    for (var i = 0; i < items.length; i++) {
      var row = items[i].row;
      var visible = (!text || items[i].text.indexOf(text) >= 0) &&
        (!wanted || row.getAttribute('data-h') === wanted) &&
        Number(row.getAttribute('data-s')) >= least;
      row.hidden = !visible;
      if (visible) count++;
    }
    shown.textContent = count + ' of ' + items.length + ' targets shown';
  }

  query.addEventListener('input', filter);
  health.addEventListener('change', filter);
  severity.addEventListener('change', filter);
  controls.hidden = false;
  filter();

  // Printing shows transcripts too.
  window.addEventListener('beforeprint', function () {
    var details = document.querySelectorAll('details.tx');
    for (var i = 0; i < details.length; i++) details[i].open = true;
  });
})();
