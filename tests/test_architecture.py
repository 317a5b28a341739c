"""The house's plan: imports point one way (chat → handlers → features → models), nlp imports
nothing of ours, no import circle, and bot/ keeps its loose modules few."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("bot", "handlers", "nlp")

# Lower layers never import higher ones. Adapters (the factory, CLI, dashboard, Open311, /healthz,
# make run) sit on top and may use anything below them.
LAYERS = [
    ("nlp", ["nlp"]),
    ("infrastructure", ["bot.config", "bot.extensions"]),
    ("models", ["bot.models"]),
    ("outbound", ["bot.outbound"]),
    ("features", ["bot.geo", "bot.tickets", "bot.parking", "bot.quiz", "bot.garbage", "bot.supervisors",
                  "bot.understanding"]),
    ("handlers", ["handlers"]),
    ("chat", ["bot.chat"]),
    ("adapters", ["bot.commands", "bot.dashboard", "bot.open311", "bot.health", "bot.seed", "bot.serve", "bot"]),
]
# The operators' occupancy API is a web adapter living beside its feature.
ADAPTERS_INSIDE_FEATURES = {"bot.parking.api"}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules():
    return {module_name(path): path for package in OURS for path in (ROOT / package).rglob("*.py")}


def imports(path, name):
    """Our modules a module imports, at any depth (function-level imports count too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    known, found = modules(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:  # `from bot import tickets` imports bot.tickets, not the factory
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {target for target in found if target in known and target.split(".")[0] in OURS and target != name}


def layer_of(name):
    if name in ADAPTERS_INSIDE_FEATURES:
        return len(LAYERS) - 1
    best = None
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            owns = name == prefix or name.startswith(prefix + ".")
            if owns and (best is None or len(prefix) > best[1]):
                best = (rank, len(prefix))
    return best[0]


def graph():
    return {name: imports(path, name) for name, path in modules().items()}


def test_imports_point_one_way():
    wrong = [f"{source} ({LAYERS[layer_of(source)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
             for source, targets in graph().items() for target in sorted(targets)
             if layer_of(target) > layer_of(source)]
    assert not wrong, "\n".join(wrong)


def test_nlp_imports_nothing_of_ours_but_itself():
    wrong = [(source, target) for source, targets in graph().items() if source.startswith("nlp")
             for target in targets if not target.startswith("nlp")]
    assert not wrong


def test_no_import_circle():
    edges = graph()
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                cycles.append(" → ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                visit(target, stack + [target])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert not cycles, "\n".join(cycles)


def test_bot_has_few_loose_modules():
    loose = sorted(path.stem for path in (ROOT / "bot").glob("*.py"))
    assert len(loose) <= 12, loose


@pytest.mark.parametrize("name", ["bot.chat.pipeline", "handlers.report", "bot.tickets"])
def test_the_checker_sees_imports(name):
    """The test would notice a wrong import: these modules do import something of ours."""
    assert graph()[name]
