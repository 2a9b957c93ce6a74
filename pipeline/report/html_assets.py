"""The CSS and JavaScript inlined into outputs/report.html (no CDN, nothing fetched when the page is viewed)."""

# Kind colours follow displaCy's span style: a pale fill, the label beside the text.
KIND_COLOURS = {
    "money": "#bfe1d9",
    "percent": "#feca74",
    "count": "#c5d7fb",
    "ratio": "#f0c5e5",
    "quantity": "#e4e7d2",
}

CSS = """
:root { --ink: #1d2430; --muted: #6b7280; --line: #d9dee7; --bg: #f7f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: var(--bg); }
header, main > section { max-width: 1320px; margin: 0 auto; padding: 12px 24px; }
header { background: #fff; border-bottom: 1px solid var(--line); max-width: none; }
header h1 { margin: 0 0 4px; font-size: 22px; }
nav a { margin-right: 14px; }
h2 { font-size: 18px; margin: 18px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 180px; }
.card b { font-size: 20px; display: block; max-width: 260px; }
.card ul { margin: 4px 0 0; padding-left: 18px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 14px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px; overflow-x: auto; }
figcaption { color: var(--muted); font-size: 12px; }
.note { color: var(--muted); }
table { border-collapse: collapse; background: #fff; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f6; position: sticky; top: 0; cursor: pointer; user-select: none; white-space: nowrap; }
th[data-dir="asc"]::after { content: " \\25B2"; } th[data-dir="desc"]::after { content: " \\25BC"; }
td.nowrap { white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.controls input, .controls select, .controls button { font: inherit; padding: 3px 6px; }
.flag { display: inline-block; background: #fde2e1; color: #8a1c1c; border-radius: 3px; padding: 0 4px;
        margin: 1px 2px 1px 0; font-size: 12px; }
.status-accepted { color: #126b2f; } .status-rejected { color: #a11; } .status-corrected { color: #7a4b00; }
article.doc { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 16px; margin: 12px 0; }
article.doc h3 { margin: 0 0 2px; font-size: 16px; }
.meta { color: var(--muted); font-size: 12px; }
.text { white-space: pre-wrap; font-family: Georgia, "Times New Roman", serif; font-size: 15px; line-height: 1.7; }
.dropped { color: #a3a9b3; background: repeating-linear-gradient(45deg, #fafafa, #fafafa 6px, #f1f2f4 6px, #f1f2f4 12px); }
mark.claim { padding: 0.15em 0.3em; border-radius: 0.3em; position: relative; color: inherit; }
mark.claim .label { font: bold 10px system-ui, sans-serif; text-transform: uppercase; margin-left: 0.35em;
                    vertical-align: middle; opacity: 0.75; }
mark.claim.flagged { outline: 2px dashed #d33; outline-offset: 1px; }
mark.claim:hover::after, mark.claim:focus::after { content: attr(data-tip); position: absolute; left: 0; top: 1.9em;
  z-index: 5; white-space: pre; background: #1d2430; color: #fff; font: 12px/1.4 system-ui, sans-serif;
  padding: 6px 8px; border-radius: 4px; }
:target { outline: 3px solid #2563eb; }
details.claims-of-doc summary { cursor: pointer; color: var(--muted); }
.legend span { padding: 0 6px; border-radius: 3px; margin-right: 6px; }
"""

# The claims table: rows come from the JSON in <script id="claims-data">; every cell is set with
# textContent (never innerHTML), so no text from an article can become markup.
JS = r"""
(function () {
  const payload = JSON.parse(document.getElementById('claims-data').textContent);
  const cols = payload.columns, rows = payload.rows;
  const ix = Object.fromEntries(cols.map((c, i) => [c, i]));
  const shown = [['text', 'number'], ['kind', 'kind'], ['value', 'value'], ['council', 'council'],
                 ['period', 'period'], ['measure', 'measure'], ['flags', 'flags'], ['review', 'review'],
                 ['doc', 'article']];
  const pageSize = payload.page_size;
  let sortKey = null, sortDir = 1, page = 0, view = rows;
  const $ = (id) => document.getElementById(id);

  function fill(select, values) {
    [...new Set(values)].filter(v => v !== '').sort().forEach(v => {
      const o = document.createElement('option'); o.value = v; o.textContent = v; select.appendChild(o);
    });
  }
  fill($('f-council'), rows.map(r => r[ix.council]));
  fill($('f-kind'), rows.map(r => r[ix.kind]));
  fill($('f-flag'), rows.flatMap(r => r[ix.flags] ? r[ix.flags].split(';') : []));
  fill($('f-review'), rows.map(r => r[ix.review]));

  function apply() {
    const q = $('f-text').value.trim().toLowerCase();
    const council = $('f-council').value, kind = $('f-kind').value, flag = $('f-flag').value, review = $('f-review').value;
    view = rows.filter(r =>
      (!council || r[ix.council] === council) && (!kind || r[ix.kind] === kind) &&
      (!review || r[ix.review] === review) &&
      (!flag || (flag === '(none)' ? !r[ix.flags] : (r[ix.flags] || '').split(';').includes(flag))) &&
      (!q || [r[ix.text], r[ix.measure], r[ix.council], r[ix.sentence], r[ix.id], r[ix.doc]].join(' ').toLowerCase().includes(q)));
    if (sortKey) {
      const k = ix[sortKey];
      view = view.slice().sort((a, b) => {
        const x = a[k], y = b[k];
        if (x === y) return 0;
        if (x === null || x === '') return 1;
        if (y === null || y === '') return -1;
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * sortDir;
      });
    }
    page = Math.min(page, Math.max(0, Math.ceil(view.length / pageSize) - 1));
    draw();
  }

  function draw() {
    const body = $('claims-body');
    body.replaceChildren();
    for (const r of view.slice(page * pageSize, (page + 1) * pageSize)) {
      const tr = document.createElement('tr');
      for (const [key] of shown) {
        const td = document.createElement('td');
        if (key === 'text') {
          if (r[ix.anchor]) {
            const a = document.createElement('a'); a.href = '#' + r[ix.anchor]; a.textContent = r[ix.text]; td.appendChild(a);
          } else { td.textContent = r[ix.text]; }
          td.title = r[ix.sentence] || '';
        } else if (key === 'value') {
          td.className = 'num'; td.textContent = r[ix.shown];
        } else if (key === 'flags') {
          (r[ix.flags] ? r[ix.flags].split(';') : []).forEach(f => {
            const s = document.createElement('span'); s.className = 'flag'; s.textContent = f; td.appendChild(s);
          });
        } else if (key === 'review') {
          td.textContent = r[ix.review]; td.className = 'status-' + r[ix.review];
        } else if (key === 'doc') {
          const target = payload.docs[r[ix.doc]];
          if (target) {
            const a = document.createElement('a'); a.href = '#' + target; a.textContent = r[ix.doc]; td.appendChild(a);
          } else { td.textContent = r[ix.doc]; }
          td.title = r[ix.title] || '';
        } else {
          td.textContent = r[ix[key]] === null ? '' : r[ix[key]];
          if (key === 'period') td.className = 'nowrap';
        }
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    const pages = Math.max(1, Math.ceil(view.length / pageSize));
    $('page-info').textContent = 'page ' + (page + 1) + ' of ' + pages + ' \u00b7 ' + view.length + ' of ' + rows.length + ' claims';
    $('prev').disabled = page === 0; $('next').disabled = page >= pages - 1;
  }

  const head = $('claims-head');
  for (const [key, label] of shown) {
    const th = document.createElement('th'); th.textContent = label; th.dataset.key = key;
    th.addEventListener('click', () => {
      const k = key === 'value' ? 'value' : key === 'doc' ? 'doc' : key;
      sortDir = sortKey === k ? -sortDir : 1; sortKey = k;
      head.querySelectorAll('th').forEach(h => h.removeAttribute('data-dir'));
      th.dataset.dir = sortDir > 0 ? 'asc' : 'desc'; apply();
    });
    head.appendChild(th);
  }
  ['f-text', 'f-council', 'f-kind', 'f-flag', 'f-review'].forEach(id => $(id).addEventListener('input', () => { page = 0; apply(); }));
  $('prev').addEventListener('click', () => { page -= 1; draw(); });
  $('next').addEventListener('click', () => { page += 1; draw(); });
  apply();
})();
"""
