"""Compile spaCy's transition-based parsers from the installed spaCy's own .pyx files, for the import
hook of pipeline/native.py. Writes the compiled modules and native.json into the build folder
(default: <venv>/share/council-claims/native). `make setup` runs it:

    .venv/bin/python -m pipeline.native_build [--into DIR] [--jobs N]
    .venv/bin/python -m pipeline.native_build --status
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.native import DEFAULT_BUILD_DIR, MANIFEST, MODULES, Build, find_build, sha256_of, source_of, spacy_sources


def build(folder: Path = DEFAULT_BUILD_DIR, *, jobs: int | None = None) -> Build:
    """Compile MODULES from the installed spaCy's .pyx files into `folder` and write the manifest
    last (a half-made build is never used). Needs Cython and a C++ compiler."""
    import Cython
    import numpy
    from setuptools import Distribution, Extension

    site, version = spacy_sources()
    jobs = jobs or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="council-claims-native-") as work_name:
        work = Path(work_name)

        def cythonize(module: str) -> Path:
            target = work / (module.replace(".", "_") + ".cpp")
            # -I site: spaCy's, thinc's, cymem's and preshed's .pxd headers, as installed
            subprocess.run([sys.executable, "-m", "cython", "-3", "--cplus", "-I", str(site),
                            "--module-name", module, "-o", str(target), str(source_of(site, module))],
                           check=True, capture_output=True, text=True)
            return target

        with ThreadPoolExecutor(jobs) as pool:
            sources = dict(zip(MODULES, pool.map(cythonize, MODULES)))
        extensions = [
            Extension(module, [str(sources[module])], language="c++",
                      include_dirs=[numpy.get_include(), str(site), str(source_of(site, module).parent)],
                      define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
                      extra_compile_args=["-std=c++17", "-w", "-g0"])
            for module in MODULES
        ]
        distribution = Distribution({"name": "council-claims-native", "ext_modules": extensions})
        command = distribution.get_command_obj("build_ext")
        command.build_lib = str(work / "lib")
        command.build_temp = str(work / "temp")
        command.parallel = jobs
        command.ensure_finalized()
        command.run()
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        entries = {}
        for module in MODULES:
            name = module + suffix  # one flat folder: the hook maps each module to its file
            # a new file renamed over the old: a process running the previous build keeps its copy
            shutil.copyfile(command.get_ext_fullpath(module), folder / (name + ".new"))
            os.replace(folder / (name + ".new"), folder / name)
            entries[module] = {"file": name, "source_sha256": sha256_of(source_of(site, module))}
    manifest = {"spacy": version, "cython": Cython.__version__, "ext_suffix": suffix, "modules": entries}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    found = find_build(folder)
    if found is None:
        raise RuntimeError(f"{folder}: the build does not match the installed spaCy {version}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.native_build",
        description="Rebuild spaCy's transition-based parsers from its own sources (see pipeline/native.py).",
        epilog="example: .venv/bin/python -m pipeline.native_build --jobs 2")
    parser.add_argument("--status", action="store_true", help="say whether the build folder matches the installed spaCy")
    parser.add_argument("--into", type=Path, default=DEFAULT_BUILD_DIR, help="the build folder (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=None, help="compiler processes (default: the cores)")
    args = parser.parse_args(argv)
    if args.status:
        found = find_build(args.into)
        print(f"{args.into}: {found.label() if found else 'no build for the installed spaCy'}")
        return 0 if found else 1
    try:
        made = build(args.into, jobs=args.jobs)
    except Exception as error:  # noqa: BLE001  (one line: what failed and what it means)
        detail = getattr(error, "stderr", "") or ""
        print(f"pipeline.native_build: build failed ({type(error).__name__}: {error}) {detail.strip()[-400:]}\n"
              f"  spaCy's own build stays in use: the claims are the same, ner and the parse slower.",
              file=sys.stderr)
        return 1
    print(f"pipeline.native_build: {made.label()} into {made.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
