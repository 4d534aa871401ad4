"""The wheel ships the repository's data folders inside the package (everything else is in pyproject.toml).

``ontology/``, ``queries/`` and ``web/`` stay at the top of the repository, where people edit
them; a wheel (``pip install .``, ``pip wheel .``) carries a copy of each as ``graph/_data/NAME``,
where ``graph.settings.resource_dir`` finds it. An editable install copies nothing: it reads
the folders in place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# graph.settings.RESOURCES (not imported: the build must not import the package)
SHIPPED = ("ontology", "queries", "web")
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc")


class BuildWithData(build_py):
    """build_py, then the data folders copied into the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for name in SHIPPED:
            target = Path(self.build_lib) / "graph" / "_data" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(HERE / name, target, ignore=LEFT_OUT)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        data = [str(p) for name in SHIPPED for p in (Path(self.build_lib) / "graph" / "_data" / name).rglob("*")
                if p.is_file()]
        return [*super().get_outputs(include_bytecode), *data]


setup(cmdclass={"build_py": BuildWithData})
