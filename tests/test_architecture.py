"""The house keeps its floor plan (``../shared/docs/architecture.md``), checked from the code's
own imports (ast), not from what anyone remembers of it:

- no import circles between gongwen's modules (imports inside functions count too);
- ``parsers/`` imports nothing of ``ocr/`` or ``pipeline/``; ``ocr/`` nothing of ``pipeline/``
  and of ``parsers/`` only the model, the text rules and the box arithmetic (geometry);
- only ``pipeline/export/outdir.py`` spells the names of OUT's files;
- importing the review app loads no OpenCV, pandas or OCR engine.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

PACKAGES = ("pipeline", "ocr", "parsers")
OUTDIR_MODULE = "pipeline.export.outdir"
# what ocr/ may use of parsers/: the typed model, the text rules, the two scripts of Chinese and
# the box arithmetic (pure)
OCR_MAY_IMPORT = {"parsers", "parsers.model", "parsers.text", "parsers.script", "parsers.geometry"}


def _modules() -> dict[str, Path]:
    found = {"": ROOT / "__init__.py", "errors": ROOT / "errors.py", "__main__": ROOT / "__main__.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _target(module: str, path: Path, node: ast.ImportFrom) -> str | None:
    """The gongwen module an ``from … import`` names (None: another package's)."""
    if node.level == 0:
        name = node.module or ""
        return name.removeprefix("gongwen.") if name == "gongwen" or name.startswith("gongwen.") else None
    parts = module.split(".") if module else []
    package = parts if path.name == "__init__.py" else parts[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        edges = graph.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    name = alias.name.removeprefix("gongwen.")
                    if alias.name.startswith("gongwen.") and name in MODULES:
                        edges.add(name)
            elif isinstance(node, ast.ImportFrom):
                target = _target(module, path, node)
                if target is None:
                    continue
                if target in MODULES:
                    edges.add(target)
                for alias in node.names:  # "from . import grid": a module
                    sub = f"{target}.{alias.name}" if target else alias.name
                    if sub in MODULES:
                        edges.add(sub)
        edges.discard(module)
    return graph


GRAPH = _imports()


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles():
    assert _cycles(GRAPH) == []


def test_the_checks_find_a_circle_and_a_back_arrow():
    """The checks themselves can fail."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _back_arrows({"parsers.x": {"ocr.y"}, "ocr.y": {"pipeline.z", "parsers.rows"}}) == [
        "ocr.y -> parsers.rows", "ocr.y -> pipeline.z", "parsers.x -> ocr.y",
    ]


def _floor(module: str) -> str:
    return module.split(".", 1)[0]


def _back_arrows(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for module, targets in graph.items():
        for target in targets:
            floor, to = _floor(module), _floor(target)
            if floor == "parsers" and to in ("ocr", "pipeline"):
                bad.append(f"{module} -> {target}")
            elif floor == "ocr" and (to == "pipeline" or (to == "parsers" and target not in OCR_MAY_IMPORT)):
                bad.append(f"{module} -> {target}")
    return sorted(bad)


def test_imports_only_point_down():
    assert _back_arrows(GRAPH) == []


# -- OUT's file names -------------------------------------------------------------------------


def _out_names() -> set[str]:
    """The file and folder names of OUT, as outdir.py defines them."""
    tree = ast.parse(MODULES[OUTDIR_MODULE].read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            value = node.value.value.split("{")[0].rstrip("*")  # "table-{n}.csv" -> "table-"
            if len(value) > 4 and value not in ("items", "pages", "review", "png", "extracted"):
                names.add(value)
    return names


def _spelled(path: Path, names: set[str], shown: str | None = None) -> list[str]:
    """Strings in a module's code (not its docstrings, not a template's name) holding a name of
    OUT's files."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get_template":
            skip.update(id(a) for a in node.args)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            for name in names:
                if name in node.value:
                    found.append(f"{shown or path.relative_to(ROOT)}:{node.lineno}: {name!r}")
    return found


def test_only_outdir_spells_the_names_of_out():
    names = _out_names()
    assert {"document.json", "documents.csv", ".gongwen", "state.sqlite", "table-"} <= names
    spelled = [
        hit for module, path in MODULES.items() if module != OUTDIR_MODULE for hit in _spelled(path, names)
    ]
    assert spelled == []


def test_the_name_check_finds_a_name(tmp_path):
    source = tmp_path / "m.py"
    source.write_text('"""Reads document.json."""\nPATH = "items/x/document.json"\n', encoding="utf-8")
    assert _spelled(source, {"document.json"}, shown="m.py") == ["m.py:2: 'document.json'"]


# -- what importing the review app loads ------------------------------------------------------


@pytest.mark.parametrize("heavy", ["cv2", "numpy", "pandas", "onnxruntime", "rapidocr_onnxruntime", "pytesseract"])
def test_the_review_app_loads_no_heavy_library(heavy):
    code = (
        "import sys; import gongwen.pipeline.review.app; "
        f"print({heavy!r} in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False", f"importing the review app loads {heavy}"
