"""Where the tests find the checkout: the repository's root and its seed documents.

The package itself never looks for a checkout (an installed msme-kg has none: see
``graph.settings.resource_dir``); only the tests, the scripts and ``make`` do.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
