"""The package as installed: every pipeline package is listed in pyproject.toml, and a
non-editable install finds models/ through importlib.resources (pipeline/resources.py)."""
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_package_is_listed():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "pipeline").rglob("__init__.py")}
    assert found | {"pipeline.models"} == listed


def test_installed_package_finds_its_models(tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--target", str(target), str(REPO)], check=True)
    script = (
        "import pipeline, pipeline.resources as r\n"
        "from pipeline.councils.register import load_register\n"
        "print(pipeline.__file__); print(r.models_dir()); print(len(load_register()))\n"
    )
    # Run from an empty folder so that the source checkout is not on sys.path.
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env={"PYTHONPATH": str(target)},
                         capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0].startswith(str(target)), out
    assert Path(out[1]) == target / "pipeline" / "models"
    assert (target / "pipeline" / "models" / "pipeline.cfg").exists()
    assert int(out[2]) > 400
