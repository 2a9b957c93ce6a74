"""Read back the text an output row's offsets index (a saved texts/<doc_id>.txt or the .txt input)."""
from __future__ import annotations

from pathlib import Path

from pipeline.io.inputs import InputError, decode_bytes


def article_text(article: dict, out_dir: Path, texts_dir: Path | None = None) -> str | None:
    """The text an article's offsets index: texts/<doc_id>.txt for HTML/JSONL/CSV inputs, else the
    .txt input decoded as extract decoded it. None when it cannot be found any more."""
    doc_id = str(article["doc_id"])
    # texts_dir first: during extract, text_path names the place the new text is about to be published.
    candidates = [texts_dir / f"{doc_id}.txt"] if texts_dir else []
    candidates += [Path(p) for p in (article.get("text_path"),) if p] + [out_dir / "texts" / f"{doc_id}.txt"]
    if article.get("text_path"):
        for candidate in candidates:
            if candidate.is_file():
                return candidate.read_text(encoding="utf-8")
        return None
    source = Path(str(article.get("source_path") or ""))
    if not source.is_file():
        return None
    try:
        return decode_bytes(source.read_bytes(), str(source))[0]
    except InputError:
        return None
