"""Where the project's data files (``ontology/``) are, however the package is installed.

The design keeps ``ontology/`` (knowledge.yaml, dialogue.ttl, shapes.ttl, context.jsonld,
queries/*.rq) at the top of the repository, beside ``graph/``, not inside it. A wheel
cannot put a folder beside its package, so ``pyproject.toml`` maps the package
``graph.ontology`` to that folder and the files are installed as ``graph/ontology/...``.
The two layouts a running ``graph`` can then see:

* a wheel (``pip install .``, an installed ``.whl``): ``<site-packages>/graph/ontology``;
* a checkout, run in place or installed editable (``pip install -e .``): ``graph/``
  is the checkout's own folder, which has no ``ontology/`` inside, and the data is
  the checkout's ``ontology/`` beside it.

Plain paths rather than ``importlib.resources``: a checkout on ``sys.path`` without
any install has no package ``graph.ontology`` to ask for, and every consumer wants a
folder it can list (``queries/*.rq``) and open files in.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE_DIR", "ontology_dir"]

PACKAGE_DIR = Path(__file__).resolve().parent
"""The folder of the ``graph`` package that is running."""


def ontology_dir() -> Path:
    """The ontology folder: the packaged ``graph/ontology`` when it exists (a wheel
    install), otherwise the checkout's ``ontology/`` beside the package (a checkout
    or an editable install).

    >>> (ontology_dir() / "knowledge.yaml").is_file()
    True
    """
    packaged = PACKAGE_DIR / "ontology"
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / "ontology"
