"""spaCy's transition-based parsers (ner, the dependency parser) rebuilt from spaCy's own sources.
Reads the build that `python -m pipeline.native_build` writes (make setup runs it); installs an
import hook that loads those modules in place of the wheel's.

spaCy 3.8.18's x86_64 wheels take and release the Python GIL in the innermost loops of ner and the
parser: every inlined call to a state accessor (`StateC::B`, `StateC::S`...) and to thinc's vector
helpers (`Vec.arg_max`, `VecVec.add_i`) returns through an empty `PyGILState_Ensure`/`Release`
pair, many times per token. `perf` puts 43% of a bare senter+ner run in those calls (mutex lock,
take_gil, drop_gil). The same `.pyx` files, which the wheel ships, compiled here with Cython 3.3.0
(the version the wheel was made with) against the installed headers, have no such pairs: ner runs
2.2 times faster, the claim parse 1.3 times, with the same entities and parses (tests/test_native.py).

The build holds the seven modules of the transition loop (MODULES), compiled from the installed
spaCy's own files, unchanged, and a manifest naming the spaCy version and each source's hash. The
hook (`install`, called when the `pipeline` package is imported, before anything imports spaCy)
serves those modules only while the manifest matches the installed spaCy; otherwise, or with
COUNCIL_CLAIMS_NATIVE=0, spaCy loads its own build and everything runs as before, slower.
"""
from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import sysconfig
from collections.abc import MutableMapping, MutableSequence, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

# The modules of the transition loop, in build order (each cimports only ones before it or spaCy's
# own): the parse state, the transition systems, the parser's step model and its loop.
MODULES = (
    "spacy.pipeline._parser_internals._state",
    "spacy.pipeline._parser_internals.stateclass",
    "spacy.pipeline._parser_internals.transition_system",
    "spacy.pipeline._parser_internals.arc_eager",
    "spacy.pipeline._parser_internals.ner",
    "spacy.ml.parser_model",
    "spacy.pipeline.transition_parser",
)
MANIFEST = "native.json"
SWITCH = "COUNCIL_CLAIMS_NATIVE"  # "0" (or off, false, no): use spaCy's own build
SWITCHED_OFF = ("0", "off", "false", "no")
DEFAULT_BUILD_DIR = Path(sys.prefix) / "share" / "council-claims" / "native"


@dataclass(frozen=True)
class Build:
    """A build found and matched to the installed spaCy: where its modules are."""

    folder: Path
    spacy_version: str
    cython_version: str
    files: dict[str, Path]  # module name -> compiled file

    def label(self) -> str:
        return f"spacy {self.spacy_version} rebuilt with Cython {self.cython_version}"


def spacy_sources() -> tuple[Path, str]:
    """(the installed spaCy's site folder, its version), found without importing spaCy."""
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError("spaCy is not installed")
    return Path(list(spec.submodule_search_locations)[0]).parent, metadata.version("spacy")


def source_of(site: Path, module: str) -> Path:
    return site.joinpath(*module.split(".")).with_suffix(".pyx")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def find_build(folder: Path = DEFAULT_BUILD_DIR) -> Build | None:
    """The build in `folder` if it was made from the installed spaCy's sources (same version, same
    files, this Python's extension suffix), else None."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        site, version = spacy_sources()
    except (OSError, ValueError, LookupError, metadata.PackageNotFoundError):
        return None
    if manifest.get("spacy") != version or manifest.get("ext_suffix") != sysconfig.get_config_var("EXT_SUFFIX"):
        return None
    files: dict[str, Path] = {}
    for module in MODULES:
        entry = manifest.get("modules", {}).get(module)
        if not entry:
            return None
        compiled = folder / entry["file"]
        try:
            if not compiled.is_file() or sha256_of(source_of(site, module)) != entry["source_sha256"]:
                return None
        except OSError:
            return None
        files[module] = compiled
    return Build(folder, version, str(manifest.get("cython", "")), files)


class NativeFinder(importlib.abc.MetaPathFinder):
    """Serves the build's compiled files for the modules it holds; leaves every other import alone."""

    def __init__(self, build: Build) -> None:
        self.build = build

    def find_spec(self, name: str, path: Sequence[str] | None = None, target: object = None):
        compiled = self.build.files.get(name)
        if compiled is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(name, str(compiled))
        return importlib.machinery.ModuleSpec(name, loader, origin=str(compiled))


_active: list[Build] = []


def install(folder: Path = DEFAULT_BUILD_DIR, *, modules: MutableMapping[str, object] = sys.modules,
            meta_path: MutableSequence[object] = sys.meta_path,
            environ: MutableMapping[str, str] = os.environ) -> Build | None:
    """Put the hook first on `meta_path` when the build matches and none of its modules is loaded
    yet (once one is, spaCy's own build is in use for this process). Returns the build in use."""
    if _active:
        return _active[0]
    if environ.get(SWITCH, "").strip().lower() in SWITCHED_OFF:
        return None
    if any(module in modules for module in MODULES):
        return None
    build = find_build(folder)
    if build is None:
        return None
    meta_path.insert(0, NativeFinder(build))
    _active.append(build)
    return build


def active() -> Build | None:
    """The build this process loads spaCy's parsers from, or None (spaCy's own): it must have served
    the modules actually loaded, so a spaCy imported before the hook counts as spaCy's own."""
    if not _active:
        return None
    build = _active[0]
    for name, compiled in build.files.items():
        module = sys.modules.get(name)
        if module is not None and getattr(module, "__file__", None) != str(compiled):
            return None
    return build


def fingerprint() -> str:
    """What the cache fingerprint records of the parsers' build (worker processes, started with the
    same environment, make the same choice as this one)."""
    build = active()
    return build.label() if build else "spaCy's own build"
