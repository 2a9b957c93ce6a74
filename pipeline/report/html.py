"""Render outputs/report.html from outputs/ (claims, articles.csv, errors.csv, article texts): one self-contained file.

Summary, charts (Vega-Lite by altair, rendered to inline SVG by vl-convert: no JavaScript needed to
see them), a claims table filtered, sorted and paged in the browser from compact JSON embedded in
the page, and the articles with every claim highlighted in place and the dropped boilerplate
greyed. Nothing is fetched when the page is viewed: no CDN, no fonts, no images from elsewhere.

The claims table is read chunk by chunk (claims.parquet's row groups) in four passes, so memory
does not grow with the corpus beyond the page itself. Only the first `max_articles` articles that
have claims are rendered in full (the page says so); the claims of the others are in the table,
without a link.
"""
from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from pipeline.io import structure
from pipeline.io.inputs import make_article
from pipeline.io.texts import article_text
from pipeline.report.html_assets import CSS, JS, KIND_COLOURS
from pipeline.tables.files import read_claims

REPORT_FILE = "report.html"
MAX_ARTICLES = 500  # articles rendered in full: ~1-3 MB of page for news-length articles
PAGE_SIZE = 50
TOP_COUNCILS = 20
TIMELINE_FIGURES = 40  # the most recent figures of the council, one row each
TIMELINE_KEPT = 2_000  # figures read for it before choosing those
CSV_CHUNK = 20_000
RUN_SECONDS_META = "claims-run-seconds"
# The table's hover text: a scraped article with no line breaks makes one sentence (and title) of it all.
SENTENCE_CHARS, TITLE_CHARS = 300, 120
CURRENCY_SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€", "JPY": "¥"}
# The fields of each claim the table needs, in the order of each JSON row.
TABLE_COLUMNS = ["id", "doc", "text", "kind", "value", "shown", "council", "code", "scope", "period", "measure",
                 "flags", "review", "sentence", "title", "anchor"]
_XMLNS = re.compile(r'\sxmlns(?::\w+)?="[^"]*"')


@dataclass
class _Anchors:
    """Where the table links: claim_id -> its mark (or its row under the article), doc_id -> the article."""

    claims: dict[str, str] = field(default_factory=dict)
    docs: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)


@dataclass
class _Digest:
    """Pass 1: the figures for the summary and the charts, gathered chunk by chunk."""

    max_articles: int
    total: int = 0
    kinds: Counter = field(default_factory=Counter)
    scopes: Counter = field(default_factory=Counter)
    flags: Counter = field(default_factory=Counter)
    flagged: int = 0
    status: Counter = field(default_factory=Counter)
    councils: Counter = field(default_factory=Counter)  # council name -> claims
    money_years: Counter = field(default_factory=Counter)  # (council name, year) -> GBP money claims
    dated: Counter = field(default_factory=Counter)  # council name -> claims with a period
    docs_with_claims: int = 0
    rendered: list[str] = field(default_factory=list)  # doc_ids rendered in full, in table order

    def add(self, chunk: pd.DataFrame) -> None:
        self.total += len(chunk)
        self.kinds.update(chunk["kind"].fillna("?"))
        self.scopes.update(chunk["scope"].fillna("unknown"))
        flags = chunk["flags"].fillna("")
        self.flagged += int((flags != "").sum())
        self.flags.update(f for cell in flags for f in cell.split(";") if f)
        status = chunk["review_status"] if "review_status" in chunk else pd.Series("pending", index=chunk.index)
        self.status.update(status.fillna("pending"))
        councils = chunk["council_name"].dropna()
        self.councils.update(councils)
        money = chunk[(chunk["kind"] == "money") & (chunk["unit"] == "GBP") & chunk["council_name"].notna()]
        years = money["period_end"].fillna(money["period_start"]).str[:4].fillna("no period")
        self.money_years.update(zip(money["council_name"], years))
        dated = chunk["council_name"].notna() & (chunk["period_start"].notna() | chunk["period_end"].notna())
        self.dated.update(chunk.loc[dated, "council_name"])
        for doc_id in chunk["doc_id"].unique():
            self.docs_with_claims += 1
            if len(self.rendered) < self.max_articles:
                self.rendered.append(str(doc_id))


def render_html(out_dir: Path, path: Path | None = None, *, texts_dir: Path | None = None,
                run_seconds: float | None = None, max_articles: int = MAX_ARTICLES,
                shown_dir: Path | None = None) -> Path:
    """Write the report for the outputs in `out_dir` to `path` (default out_dir/report.html) and
    return its path. `texts_dir` is another place to look for texts/<doc_id>.txt (extract renders
    before its texts folder is published); `run_seconds` is the extraction's run time (a re-render
    keeps the one the previous report recorded); `shown_dir` is the folder named in the page
    (default `out_dir`)."""
    from pipeline.tables.files import table_in_chunks

    path = path or out_dir / REPORT_FILE
    if run_seconds is None:
        run_seconds = recorded_run_seconds(out_dir / REPORT_FILE)
    if not (out_dir / "claims.parquet").exists() and not (out_dir / "claims.csv").exists():
        read_claims(out_dir)  # raises the error that says to run `make extract`
    digest = _Digest(max_articles)
    for chunk in table_in_chunks(out_dir):
        digest.add(chunk)
    timeline_council = digest.dated.most_common(1)[0][0] if digest.dated else None
    timeline = _timeline_rows(table_in_chunks(out_dir), timeline_council)
    articles, article_totals = _articles(out_dir / "articles.csv", set(digest.rendered))
    failed = _failed_count(out_dir / "errors.csv")

    temp = path.with_name(f".{path.name}.tmp")
    with open(temp, "w", encoding="utf-8") as page:
        page.write(_head(run_seconds))
        page.write(_summary(digest, article_totals, failed, run_seconds, shown_dir or out_dir))
        page.write(_charts(digest, timeline_council, timeline))
        page.write(_table_section(digest))
        anchors = _write_articles(page, table_in_chunks(out_dir), articles, digest, out_dir, texts_dir)
        _write_table_data(page, table_in_chunks(out_dir), anchors)
        page.write(f"<script>{JS}</script>\n</body>\n</html>\n")
    temp.replace(path)
    return path


# ---------------------------------------------------------------------------- reading


def _timeline_rows(chunks: Iterator[pd.DataFrame], council: str | None) -> pd.DataFrame:
    """Pass 2: the dated figures of the council with the most of them."""
    kept: list[pd.DataFrame] = []
    for chunk in chunks:
        if council is None:
            break
        rows = chunk[(chunk["council_name"] == council)
                     & (chunk["period_start"].notna() | chunk["period_end"].notna())]
        kept.append(rows[["claim_id", "text", "kind", "value", "unit", "per", "measure", "period_start", "period_end"]])
        if sum(len(k) for k in kept) >= TIMELINE_KEPT:
            break
    if not kept:
        return pd.DataFrame()
    return pd.concat(kept, ignore_index=True)


def _articles(path: Path, wanted: set[str]) -> tuple[dict[str, dict], dict[str, int]]:
    """The articles.csv rows of the articles rendered in full, and totals over all of it."""
    rows: dict[str, dict] = {}
    totals = {"rows": 0, "no_claims": 0, "boilerplate": 0}
    if not path.exists():
        return rows, totals
    for chunk in pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], chunksize=CSV_CHUNK):
        totals["rows"] += len(chunk)
        totals["no_claims"] += int((chunk.get("status") == "no_claims").sum()) if "status" in chunk else 0
        for cell in chunk.get("boilerplate", pd.Series(dtype=str)).dropna():
            totals["boilerplate"] += sum(int(p.split("=")[1]) for p in str(cell).split(";") if "=" in p)
        for record in chunk[chunk["doc_id"].isin(wanted)].to_dict("records"):
            rows[str(record["doc_id"])] = {k: (None if pd.isna(v) else v) for k, v in record.items()}
    return rows, totals


def _failed_count(path: Path) -> int:
    if not path.exists():
        return 0
    return sum(int((chunk["status"] == "failed").sum())
               for chunk in pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=CSV_CHUNK))


def recorded_run_seconds(path: Path) -> float | None:
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as handle:
        found = re.search(rf'<meta name="{RUN_SECONDS_META}" content="([\d.]+)"', handle.read(4096))
    return float(found.group(1)) if found else None


def dropped_ranges(text: str, article: dict) -> list[tuple[int, int, str]]:
    """Boilerplate as extract found it: structure.segment on the repaired text, mapped back to
    offsets in `text`. (The title passed is articles.csv's, which for .txt inputs is the headline
    line, so it is left out there as extract left it out.)"""
    is_txt = not article.get("text_path")
    repaired = make_article(text, doc_id=str(article["doc_id"]), source_path=str(article.get("source_path")))
    segments = structure.segment(repaired.text, title=None if is_txt else article.get("title"))
    return [(repaired.to_original(s.start), repaired.to_original(s.end), s.kind)
            for s in segments if s.section == "boilerplate"]


# ---------------------------------------------------------------------------- page parts


def _head(run_seconds: float | None) -> str:
    meta = f'<meta name="{RUN_SECONDS_META}" content="{run_seconds:.1f}">' if run_seconds is not None else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"{meta}\n<title>council-claims report</title>\n<style>{CSS}</style>\n</head>\n<body>\n")


def _summary(digest: _Digest, articles: dict[str, int], failed: int, run_seconds: float | None, out_dir: Path) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    run = f"{run_seconds:,.1f} s" if run_seconds is not None else "not recorded"
    reviewed = sum(v for k, v in digest.status.items() if k != "pending")
    cards = [
        ("inputs", articles["rows"] + failed,
         [f"processed {articles['rows']}", f"failed {failed} (errors.csv)", f"without claims {articles['no_claims']}",
          f"boilerplate blocks dropped {articles['boilerplate']}"]),
        ("claims", digest.total, [f"{k} {v}" for k, v in sorted(digest.kinds.items())]),
        ("by scope", len(digest.scopes), [f"{k} {v}" for k, v in sorted(digest.scopes.items())]),
        ("flagged for review", digest.flagged, [f"{k} {v}" for k, v in digest.flags.most_common(6)]),
        ("review progress", f"{reviewed} of {digest.total}",
         [f"{k} {digest.status.get(k, 0)}" for k in ("pending", "accepted", "corrected", "rejected")]),
        ("extraction run time", run, [f"page rendered {now}", f"from {out_dir}"]),
    ]
    parts = ["<header>\n<h1>council-claims report</h1>\n<nav><a href=\"#summary\">Summary</a><a href=\"#charts\">Charts</a>"
             "<a href=\"#claims\">Claims</a><a href=\"#articles\">Articles</a></nav>\n</header>\n<main>\n"
             "<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n"]
    for title, figure, lines in cards:
        items = "".join(f"<li>{_e(line)}</li>" for line in lines)
        parts.append(f"<div class=\"card\">{_e(title)}<b>{_e(figure)}</b><ul>{items}</ul></div>\n")
    parts.append("</div>\n</section>\n")
    return "".join(parts)


def _charts(digest: _Digest, timeline_council: str | None, timeline: pd.DataFrame) -> str:
    figures = [
        ("Money claims (GBP) per council and year: the top councils by money claims; year of the period's end",
         _money_years_chart(digest)),
        (f"Claims per council, top {TOP_COUNCILS} (scope national {digest.scopes.get('national', 0)}, other "
         f"{digest.scopes.get('other', 0)}, unknown {digest.scopes.get('unknown', 0)} are not shown)",
         _councils_chart(digest)),
        ("Flags by reason (a claim can have several)", _flags_chart(digest)),
        (f"Timeline: {timeline_council}'s figures by period (the council with the most dated claims; "
         + (f"the latest {TIMELINE_FIGURES} of {len(timeline)}; " if len(timeline) > TIMELINE_FIGURES else "")
         + "a bar spans each figure's period, a dot marks its end)" if timeline_council
         else "Timeline of a council's figures", _timeline_chart(timeline)),
    ]
    parts = ["<section id=\"charts\">\n<h2>Charts</h2>\n<div class=\"charts\">\n"]
    for caption, svg in figures:
        body = svg or "<p class=\"note\">No data for this chart.</p>"
        parts.append(f"<figure>{body}<figcaption>{_e(caption)}</figcaption></figure>\n")
    parts.append("</div>\n</section>\n")
    return "".join(parts)


def _table_section(digest: _Digest) -> str:
    legend = "".join(f"<span style=\"background:{colour}\">{_e(kind)}</span>" for kind, colour in KIND_COLOURS.items())
    return (
        "<section id=\"claims\">\n<h2>Claims</h2>\n"
        f"<p class=\"note\">All {digest.total} claims, {PAGE_SIZE} a page. Filters and sorting run in the page; "
        "a number links to its place in the article when that article is shown below. "
        "Hover a number for its sentence.</p>\n"
        "<div class=\"controls\"><input id=\"f-text\" type=\"search\" placeholder=\"search text, measure, council, id\" size=\"32\">"
        "<select id=\"f-council\"><option value=\"\">all councils</option></select>"
        "<select id=\"f-kind\"><option value=\"\">all kinds</option></select>"
        "<select id=\"f-flag\"><option value=\"\">any flags</option><option value=\"(none)\">no flags</option></select>"
        "<select id=\"f-review\"><option value=\"\">any review status</option></select>"
        "<button id=\"prev\" type=\"button\">previous</button><button id=\"next\" type=\"button\">next</button>"
        "<span id=\"page-info\" class=\"note\"></span></div>\n"
        f"<p class=\"legend\">{legend}</p>\n"
        "<table id=\"claims-table\"><thead><tr id=\"claims-head\"></tr></thead><tbody id=\"claims-body\"></tbody></table>\n"
        "<noscript><p>The table needs JavaScript; every claim is also in claims.csv and claims.xlsx.</p></noscript>\n"
        "</section>\n"
    )


def _write_articles(page, chunks: Iterator[pd.DataFrame], articles: dict[str, dict], digest: _Digest,
                    out_dir: Path, texts_dir: Path | None) -> "_Anchors":
    """Pass 3: each rendered article, streamed to the page. Returns the anchors the table links to."""
    shown = len(digest.rendered)
    note = (f"The first {shown} of {digest.docs_with_claims} articles with claims, in table order"
            + (f" (at most {digest.max_articles} are shown in full, to keep the page usable; the claims of the "
               "others are in the table above and in claims.csv)" if digest.docs_with_claims > shown else "")
            + ". Articles without claims are listed in articles.csv. Greyed text is boilerplate that was dropped "
              "before the NLP; a dashed outline marks a flagged claim.")
    page.write(f"<section id=\"articles\">\n<h2>Articles</h2>\n<p class=\"note\">{_e(note)}</p>\n")
    anchors = _Anchors()
    wanted = set(digest.rendered)
    for chunk in chunks:
        by_doc: dict[str, list[dict]] = {}
        for record in _records(chunk[chunk["doc_id"].isin(wanted)]):
            by_doc.setdefault(str(record["doc_id"]), []).append(record)
        for doc_id, records in by_doc.items():
            first = records[0]
            article = articles.get(doc_id) or {"doc_id": doc_id, "source_path": first["source_path"],
                                               "text_path": first.get("text_path")}
            page.write(_article_html(article, records, out_dir, texts_dir, anchors))
    page.write("</section>\n</main>\n")
    return anchors


def _article_html(article: dict, records: list[dict], out_dir: Path, texts_dir: Path | None,
                  anchors: "_Anchors") -> str:
    doc_id = str(article["doc_id"])
    doc_anchor = _unique_id("doc-" + re.sub(r"[^A-Za-z0-9_.-]", "_", doc_id), anchors.used)
    anchors.docs[doc_id] = doc_anchor
    records = sorted(records, key=lambda r: r["char_start"] if r["char_start"] is not None else -1)
    text = article_text(article, out_dir, texts_dir)
    title = article.get("title") or (records[0].get("title") if records else None) or doc_id
    meta = [doc_id, str(article.get("source_path") or ""), f"published {article.get('published') or '—'}",
            f"council {article.get('council_name') or '—'}", f"{len(records)} claims"]
    if article.get("boilerplate"):
        meta.append(f"dropped: {article['boilerplate']}")
    parts = [f"<article class=\"doc\" id=\"{_e(doc_anchor)}\">\n<h3>{_e(title)}</h3>\n"
             f"<div class=\"meta\">{_e(' · '.join(meta))}</div>\n"]
    marked: set[str] = set()
    if text is None:
        parts.append("<p class=\"note\">The article text is no longer where extract read it; its claims are listed below.</p>\n")
    else:
        usable = [r for r in records if _offsets_hold(text, r)]
        if len(usable) < len(records):
            parts.append(f"<p class=\"note\">{len(records) - len(usable)} claim(s) no longer match the text at "
                         "their offsets (the source changed since extraction); they are listed below only.</p>\n")
        parts.append(f"<div class=\"text\">{_marked_text(text, usable, dropped_ranges(text, article), marked)}</div>\n")
    parts.append("<table class=\"doc-claims\"><thead><tr><th>number</th><th>kind</th><th>value</th><th>council</th>"
                 "<th>period</th><th>measure</th><th>flags</th><th>review</th></tr></thead><tbody>\n")
    for r in records:
        claim_id = str(r["claim_id"])
        anchors.claims[claim_id] = f"m-{claim_id}" if claim_id in marked else f"c-{claim_id}"
        number = (f"<a href=\"#m-{_e(claim_id)}\">{_e(r['text'])}</a>" if claim_id in marked else _e(r["text"]))
        flags = "".join(f"<span class=\"flag\">{_e(f)}</span>" for f in str(r.get("flags") or "").split(";") if f)
        parts.append(f"<tr id=\"c-{_e(claim_id)}\"><td>{number}</td><td>{_e(r['kind'])}</td>"
                     f"<td class=\"num\">{_e(shown_value(r))}</td><td>{_e(_council(r))}</td><td class=\"nowrap\">{_e(_period(r))}</td>"
                     f"<td>{_e(r.get('measure') or '')}</td><td>{flags}</td><td>{_e(r.get('review_status') or 'pending')}</td></tr>\n")
    parts.append("</tbody></table>\n</article>\n")
    return "".join(parts)


def _offsets_hold(text: str, row: dict) -> bool:
    start, end = row.get("char_start"), row.get("char_end")
    return start is not None and end is not None and text[int(start):int(end)] == row["text"]


def _marked_text(text: str, claims: list[dict], dropped: list[tuple[int, int, str]], marked: set[str]) -> str:
    """The article with each claim in a <mark> coloured by kind and dropped boilerplate greyed. A claim
    overlapping one already marked (two numbers in one token) is listed only."""
    parts: list[str] = []
    position = 0
    for row in claims:
        start, end = int(row["char_start"]), int(row["char_end"])
        if start < position:
            continue
        parts.append(_plain(text, position, start, dropped))
        claim_id = str(row["claim_id"])
        colour = KIND_COLOURS.get(str(row["kind"]), "#ddd")
        flagged = " flagged" if row.get("flags") else ""
        tip = "\n".join(line for line in (
            f"{row['kind']} {shown_value(row)}",
            f"council: {_council(row)}",
            f"period: {_period(row) or '—'}" + (f" ({row['period_basis']})" if row.get("period_basis") else ""),
            f"measure: {row.get('measure') or '—'}",
            f"flags: {row['flags']}" if row.get("flags") else "",
        ) if line)
        parts.append(f"<mark class=\"claim{flagged}\" id=\"m-{_e(claim_id)}\" tabindex=\"0\" style=\"background:{colour}\" "
                     f"data-tip=\"{_e(tip).replace(chr(10), '&#10;')}\">{_e(text[start:end])}"
                     f"<span class=\"label\">{_e(row['kind'])}</span></mark>")
        marked.add(claim_id)
        position = end
    parts.append(_plain(text, position, len(text), dropped))
    return "".join(parts)


def _plain(text: str, start: int, end: int, dropped: list[tuple[int, int, str]]) -> str:
    parts: list[str] = []
    position = start
    for d_start, d_end, kind in dropped:
        d_start, d_end = max(d_start, position), min(d_end, end)
        if d_start >= d_end:
            continue
        parts.append(_e(text[position:d_start]))
        parts.append(f"<span class=\"dropped\" title=\"dropped: {_e(kind)}\">{_e(text[d_start:d_end])}</span>")
        position = d_end
    parts.append(_e(text[position:end]))
    return "".join(parts)


def _write_table_data(page, chunks: Iterator[pd.DataFrame], anchors: "_Anchors") -> None:
    """Pass 4: every claim as one compact JSON array, streamed into <script type="application/json">."""
    page.write("<script type=\"application/json\" id=\"claims-data\">")
    page.write(_json({"columns": TABLE_COLUMNS, "page_size": PAGE_SIZE})[:-1] + ",\"rows\":[")
    first = True
    for chunk in chunks:
        for r in _records(chunk):
            value = r.get("value")
            row = [r["claim_id"], r["doc_id"], r["text"], r["kind"], float(value) if value is not None else None,
                   shown_value(r), r.get("council_name") or "", r.get("council_code") or "", r.get("scope") or "",
                   _period(r), r.get("measure") or "", r.get("flags") or "", r.get("review_status") or "pending",
                   _around(r.get("sentence") or "", r["text"], SENTENCE_CHARS), _around(r.get("title") or "", "", TITLE_CHARS),
                   anchors.claims.get(str(r["claim_id"]), "")]
            page.write(("" if first else ",\n") + _json(row))
            first = False
    page.write("],\"docs\":" + _json(anchors.docs) + "}</script>\n")


# ---------------------------------------------------------------------------- charts


def _svg(chart) -> str:
    """A Vega-Lite chart as inline SVG (vl-convert runs Vega here, not in the viewer's browser)."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    return _XMLNS.sub("", svg)  # inline SVG in HTML needs no namespace declarations


def _altair():
    import altair as alt

    return alt


def _money_years_chart(digest: _Digest) -> str | None:
    if not digest.money_years:
        return None
    alt = _altair()
    per_council = Counter()
    for (council, _), count in digest.money_years.items():
        per_council[council] += count
    top = [c for c, _ in per_council.most_common(TOP_COUNCILS)]
    data = pd.DataFrame([{"council": c, "year": y, "claims": n} for (c, y), n in digest.money_years.items() if c in top])
    base = alt.Chart(data).encode(
        x=alt.X("year:O", title="year"), y=alt.Y("council:N", sort=top, title=None))
    heat = base.mark_rect().encode(color=alt.Color("claims:Q", scale=alt.Scale(scheme="greens"), title="claims"))
    labels = base.mark_text(fontSize=10).encode(text="claims:Q")
    return _svg((heat + labels).properties(width=alt.Step(34), height=alt.Step(18)))


def _councils_chart(digest: _Digest) -> str | None:
    if not digest.councils:
        return None
    alt = _altair()
    data = pd.DataFrame(digest.councils.most_common(TOP_COUNCILS), columns=["council", "claims"])
    bars = alt.Chart(data).mark_bar(color="#5b8fd0").encode(
        x=alt.X("claims:Q", title="claims"), y=alt.Y("council:N", sort="-x", title=None))
    labels = bars.mark_text(align="left", dx=3, fontSize=10, color="#333").encode(text="claims:Q")
    return _svg((bars + labels).properties(width=360, height=alt.Step(16)))


def _flags_chart(digest: _Digest) -> str | None:
    if not digest.flags:
        return None
    alt = _altair()
    data = pd.DataFrame(digest.flags.most_common(), columns=["reason", "claims"])
    bars = alt.Chart(data).mark_bar(color="#d9655b").encode(
        x=alt.X("claims:Q", title="claims"), y=alt.Y("reason:N", sort="-x", title=None))
    labels = bars.mark_text(align="left", dx=3, fontSize=10, color="#333").encode(text="claims:Q")
    return _svg((bars + labels).properties(width=360, height=alt.Step(18)))


def _timeline_chart(rows: pd.DataFrame) -> str | None:
    """One row per figure, labelled with its value and measure, across its period."""
    if rows.empty:
        return None
    alt = _altair()
    data = rows.copy()
    data["start"] = data["period_start"].fillna(data["period_end"])
    data["end"] = data["period_end"].fillna(data["period_start"])
    data = data.sort_values(["end", "start"]).tail(TIMELINE_FIGURES)
    labels, seen = [], Counter()
    for record in _records(data):
        label = f"{record['text']} · {record['measure'] or record['kind']}"
        label = label if len(label) <= 48 else label[:47] + "…"
        seen[label] += 1
        labels.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    data["figure"] = labels
    order = list(data["figure"])
    base = alt.Chart(data[["start", "end", "figure", "kind"]]).encode(
        y=alt.Y("figure:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
        color=alt.Color("kind:N", scale=alt.Scale(domain=list(KIND_COLOURS), range=_strong_colours()), title="kind"))
    spans = base.mark_rule(strokeWidth=4, opacity=0.7).encode(x=alt.X("start:T", title="period"), x2="end:T")
    dots = base.mark_point(filled=True, size=36, opacity=1).encode(x="end:T")
    return _svg((spans + dots).properties(width=300, height=alt.Step(14)))


def _strong_colours() -> list[str]:
    """The kind colours, darker, so thin marks stay visible."""
    return ["#2f8f7a", "#d08a00", "#4a73c9", "#b0509a", "#8a8f5a"]


# ---------------------------------------------------------------------------- formatting


def shown_value(row: dict) -> str:
    """The value as a reader writes it: £12.0m, 28.4%, 1,137, 0.9."""
    value = row.get("value")
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    unit = row.get("unit") or ""
    per = f" a {row['per']}" if row.get("per") else ""
    symbol = CURRENCY_SYMBOLS.get(unit) if row.get("kind") == "money" else None
    if symbol:
        for limit, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
            if abs(number) >= limit:
                return f"{symbol}{number / limit:,.1f}{suffix}{per}"
        return f"{symbol}{number:,.2f}{per}"
    shown = f"{number:,.0f}" if number.is_integer() else f"{number:,.4g}"
    if unit == "%":
        return f"{shown}%"
    return f"{shown} {unit}".strip() + per


def _council(row: dict) -> str:
    if row.get("council_name"):
        return f"{row['council_name']} ({row.get('council_code') or '?'})"
    return f"({row.get('scope') or 'unknown'})"


def _period(row: dict) -> str:
    start, end = row.get("period_start") or "", row.get("period_end") or ""
    if start and end:
        return start if start == end else f"{start}..{end}"
    return start or end


def _around(text: str, number: str, width: int) -> str:
    """At most `width` characters of `text`, centred on `number` when it is there."""
    if len(text) <= width:
        return text
    at = text.find(number) if number else -1
    start = max(0, min(at - (width - len(number)) // 2 if at >= 0 else 0, len(text) - width))
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with None for missing values (one conversion a chunk: per-row pandas is slow)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _unique_id(candidate: str, used: set[str]) -> str:
    anchor, n = candidate, 2
    while anchor in used:
        anchor, n = f"{candidate}-{n}", n + 1
    used.add(anchor)
    return anchor


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _json(value: object) -> str:
    """JSON safe inside <script>: no "<" can close the element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).replace("<", "\\u003c")

