"""The vendored JavaScript and CSS are the pinned npm releases of web/static/vendor/MANIFEST, with
their licences; the pages load nothing else, and the HTML export inlines Cytoscape.js."""

from __future__ import annotations

import re
import shutil
import subprocess

from api.routes.web import PAGES
from graph.views.export import VENDOR_JS
from tests.paths import ROOT as PROJECT_DIR

VENDOR = PROJECT_DIR / "web" / "static" / "vendor"
SCRIPT = PROJECT_DIR / "scripts" / "vendor-js.sh"


def _manifest() -> dict[str, list[str]]:
    """vendored path -> the manifest line's fields."""
    lines = (VENDOR / "MANIFEST").read_text().splitlines()
    entries = [line.split() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return {fields[3]: fields for fields in entries}


def _check(root) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(root / "scripts" / "vendor-js.sh"), "--check"],
                          capture_output=True, text=True, timeout=60, check=False)


def test_vendored_files_match_the_pinned_checksums():
    done = _check(PROJECT_DIR)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(_manifest())} files match" in done.stdout
    assert (VENDOR / "cytoscape.LICENSE").read_text().startswith("Copyright")


def test_every_vendored_file_is_pinned_and_every_package_has_its_licence():
    manifest = _manifest()
    on_disk = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()} - {"MANIFEST"}
    assert on_disk == set(manifest)
    assert VENDOR_JS.relative_to(VENDOR).as_posix() in manifest
    for fields in manifest.values():
        package, version, sha256 = fields[0], fields[1], fields[4]
        assert re.fullmatch(r"\d+\.\d+\.\d+", version) and re.fullmatch(r"[0-9a-f]{64}", sha256), fields
        licences = [f for f in manifest.values() if f[0] == package and "LICENSE" in f[2]]
        assert licences or package == "@zazuko/yasgui", f"{package} ships a licence file: vendor it"


def test_the_pages_load_only_pinned_vendored_files():
    manifest = _manifest()
    referenced = {a.removeprefix("vendor/") for _, assets in PAGES.values() for a in assets if a.startswith("vendor/")}
    for template in (PROJECT_DIR / "web" / "templates").glob("*.html"):
        referenced |= set(re.findall(r"/web/static/vendor/([^\"']+)", template.read_text()))
    assert referenced and referenced <= set(manifest)


def test_the_check_fails_on_a_changed_file(tmp_path):
    shutil.copytree(PROJECT_DIR / "scripts", tmp_path / "scripts")
    shutil.copytree(VENDOR, tmp_path / "web" / "static" / "vendor")
    assert _check(tmp_path).returncode == 0
    changed = tmp_path / "web" / "static" / "vendor" / "yasgui" / "yasgui.min.css"
    changed.write_bytes(changed.read_bytes() + b"\n/* changed */\n")
    done = _check(tmp_path)
    assert done.returncode == 1 and "yasgui/yasgui.min.css does not match" in done.stderr
