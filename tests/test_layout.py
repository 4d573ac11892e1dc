"""The package's shape: no import cycles, no oversized modules, every module importable on its own."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "policydiff"

# Modules other helpers are splitting right now; the size limit applies to them once they land.
SIZE_EXEMPT: set[str] = set()
MAX_LINES = 400

# Deferred (function-level) imports that point back down the layers on purpose: the model's
# convenience methods (``Comparison.to_html()`` ...) reach the renderers only when called.
DEFERRED_ALLOWED = {
    ("policydiff.model.result", "policydiff.render.html"),
    ("policydiff.model.result", "policydiff.render.json"),
    ("policydiff.model.result", "policydiff.render.markdown"),
    ("policydiff.model.result", "policydiff.render.terminal"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _target(name: str, imported: str | None) -> str | None:
    """The policydiff module an import statement loads (a submodule when it names one)."""
    if imported is not None and f"{name}.{imported}" in MODULES:
        return f"{name}.{imported}"
    return name if name in MODULES else None


def imports_of(module: str) -> tuple[set[str], set[str]]:
    """(module-level imports, function-level imports) of ``module`` within the package."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    eager: set[str] = set()
    deferred: set[str] = set()

    def visit(node: ast.AST, inside_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = inside_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            found: list[str | None] = []
            if isinstance(child, ast.Import):
                found = [_target(alias.name, None) for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found = [_target(child.module, alias.name) for alias in child.names]
            for name in found:
                if name is not None and name != module:
                    (deferred if nested else eager).add(name)
            visit(child, nested)

    visit(tree, False)
    return eager, deferred


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := dfs(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := dfs(node)):
            return cycle
    return None


def test_module_level_imports_have_no_cycle() -> None:
    graph = {m: imports_of(m)[0] for m in MODULES}
    assert find_cycle(graph) is None


def test_all_imports_have_no_cycle_even_deferred_ones() -> None:
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        eager, deferred = imports_of(module)
        graph[module] = eager | {d for d in deferred if (module, d) not in DEFERRED_ALLOWED}
    assert find_cycle(graph) is None


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m not in SIZE_EXEMPT))
def test_no_module_is_over_400_lines(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines"


@pytest.mark.slow
def test_every_module_imports_first_in_a_fresh_interpreter() -> None:
    """Each module imported first thing in a new interpreter (a cycle would fail here)."""
    code = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m == 'policydiff' or m.startswith('policydiff.')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *sorted(m for m in MODULES if not m.endswith("__main__"))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


HEAVY = (
    "policydiff.compare",
    "policydiff.semantics",
    "policydiff.normalize",
    "policydiff.diff",
    "apprise",
    "rich",
)


def test_help_and_import_load_no_pipeline() -> None:
    """``policydiff --help`` and ``import policydiff`` leave the pipeline unloaded until first use."""
    code = (
        "import sys\n"
        "import policydiff\n"
        "from policydiff.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(" + repr(HEAVY) + "))))\n"
        "policydiff.compare\n"
        "print('policydiff.semantics' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    *_, loaded, after = result.stdout.strip().splitlines()
    assert loaded == "" and after == "True"


@pytest.mark.slow
def test_help_is_fast() -> None:
    """``policydiff --help`` in a fresh interpreter: the best of five runs under 0.3 s of CPU.

    CPU time (user + system, from ``getrusage``) rather than wall time: on a shared machine the
    wall clock measures the neighbours too.
    """
    import resource

    times = []
    for _ in range(5):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-m", "policydiff", "--help"], capture_output=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    assert min(times) < 0.3, times


def test_the_lazy_face_keeps_functions_named_like_submodules() -> None:
    code = (
        "import policydiff, policydiff.compare, policydiff.normalize, policydiff.watch\n"
        "from policydiff.compare import compare\n"
        "from policydiff.normalize import normalize\n"
        "assert policydiff.compare is compare and policydiff.normalize is normalize\n"
        "assert policydiff.compare('We keep data.', 'We sell data.').summary.material_changes == 1\n"
        "assert policydiff.Finding.__name__ == 'Finding' and 'Comparison' in dir(policydiff)\n"
        "try:\n"
        "    policydiff.nothing_here\n"
        "except AttributeError:\n"
        "    print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
