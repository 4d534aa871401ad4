"""The vendored Cytoscape.js is the pinned npm release, with its licence, and the HTML export inlines it."""

from __future__ import annotations

import subprocess

from graph.views.export import VENDOR_JS
from tests.paths import ROOT as PROJECT_DIR


def test_vendored_library_matches_the_pinned_checksum():
    done = subprocess.run(["bash", str(PROJECT_DIR / "scripts" / "vendor-js.sh"), "--check"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (VENDOR_JS.parent / "cytoscape.LICENSE").read_text().startswith("Copyright")
