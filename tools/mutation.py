"""Mutation testing of the pure modules (`make mutation`): each alone, against its own tests.

For each module below, mutmut (3.x) mutates only that file and runs only that module's own unit
tests, so a module's score says how well its own tests pin it down, not how much some slower
test elsewhere happens to exercise it. It then prints, per module, the mutants killed and
survived, and the score twice: over all mutants, and over the non-string mutants only (a mutant
that only rewrites a string literal, "x" into "XXxXX", mostly changes a message; the issue's
target, 90%, is over the others). It exits 1 when a module is under that target.

Run with `make mutation` (or `.venv/bin/python tools/mutation.py [--list-survivors] [module ...]`,
modules by their short names below). It takes minutes: it is not part of CI.

mutmut reads its settings from [tool.mutmut] in the pyproject.toml of the directory it runs in,
and keeps its work in mutants/ there. So each module gets a directory of its own,
var/mutation/<name>/, holding links to the project's packages and a copy of pyproject.toml with
that module's [tool.mutmut] added; mutmut copies what the links point at into mutants/ and never
writes to the project itself. Each run starts afresh: mutmut keeps a surviving mutant's verdict
while its function is unchanged, even after new tests are added, which would hide the tests
just written to kill it.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"
TARGET = 90.0


@dataclass(frozen=True)
class Module:
    name: str
    path: str
    tests: tuple[str, ...]
    # Given to every pytest run of the module's tests.
    pytest_args: tuple[str, ...] = ()


MODULES = (
    # The audience rules' pure tests; their few database tests (answers, the API) are left out.
    Module(
        "scoring",
        "matching/scoring.py",
        ("tests/matching/test_scoring.py", "tests/matching/test_audience_rules.py"),
        ("-m", "not django_db"),
    ),
    Module("network", "matching/network.py", ("tests/matching/test_network.py",)),
    Module(
        "scheduling",
        "assets_directory/scheduling.py",
        ("tests/assets_directory/test_scheduling.py",),
    ),
    Module("query", "search/query.py", ("tests/search/test_query.py",)),
    # Its few database tests make the rows they read: a database without migrations is made in
    # a second, where migrating one (which every mutant's run would do) takes half a minute.
    Module("params", "search/params.py", ("tests/search/test_params.py",), ("--nomigrations",)),
)

# mutmut's exit codes for a mutant (mutmut/stats.py): the tests failed (1), pytest itself broke
# (3, a kill too), the tests ran out of time (a kill: the mutant changed behaviour), or passed.
KILLED = {1, 3}
TIMEOUT = {24, -24, 152, 255, 36}
SURVIVED = {0}
NO_TESTS = {33, 5}


@dataclass
class Mutant:
    key: str
    exit_code: int | None
    string_only: bool
    diff: list[str] = field(default_factory=list)

    @property
    def killed(self) -> bool:
        return self.exit_code in KILLED or self.exit_code in TIMEOUT


@dataclass
class Score:
    module: Module
    mutants: list[Mutant]

    def _count(self, mutants: list[Mutant]) -> tuple[int, int]:
        return sum(m.killed for m in mutants), len(mutants)

    @property
    def non_string(self) -> list[Mutant]:
        return [m for m in self.mutants if not m.string_only]

    @property
    def survivors(self) -> list[Mutant]:
        return [m for m in self.non_string if not m.killed]

    @property
    def score_all(self) -> float:
        return percent(*self._count(self.mutants))

    @property
    def score_non_string(self) -> float:
        return percent(*self._count(self.non_string))


def percent(killed: int, total: int) -> float:
    return 100.0 * killed / total if total else 100.0


def _without_strings(node: ast.AST) -> str:
    """The node's AST with every string constant blanked, and every function named alike."""
    node = ast.parse(ast.unparse(node))  # a copy
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            child.value = ""
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            child.name = "f"
    return ast.dump(node)


def changes_only_strings(original: ast.AST, mutant: ast.AST) -> bool:
    """Whether the mutant differs from the original only in the text of string literals.

    `"a"` to `"XXaXX"` or `"A"` is a string mutant; `"a"` to `None`, or a string method
    swapped (`.lower()` to `.upper()`), is not.
    """
    return _without_strings(original) == _without_strings(mutant)


def generated_functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """mutmut's generated functions by name: top level, and methods one class deep."""
    found = {}
    for node in tree.body:
        bodies = [node] if not isinstance(node, ast.ClassDef) else node.body
        for child in bodies:
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                found[child.name] = child
    return found


def source_diff(original: ast.AST, mutant: ast.AST) -> list[str]:
    """The lines the mutant changed, as `-`/`+` lines of the unparsed functions."""
    before, after = (_unparse_as_f(node).splitlines() for node in (original, mutant))
    return [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _unparse_as_f(function: ast.AST) -> str:
    # The generated names differ (x_f__mutmut_orig, x_f__mutmut_3), the mutation is elsewhere.
    copy = ast.parse(ast.unparse(function)).body[0]
    copy.name = "f"
    return ast.unparse(copy)


def read_mutants(directory: Path, module: Module) -> list[Mutant]:
    """Every mutant of the module with its verdict, from mutmut's files in `directory`."""
    mutated = directory / "mutants" / module.path
    meta = json.loads(mutated.with_name(mutated.name + ".meta").read_text())
    functions = generated_functions(ast.parse(mutated.read_text()))
    mutants = []
    for key, exit_code in sorted(meta["exit_code_by_key"].items(), key=lambda kv: _natural(kv[0])):
        generated = key.rpartition(".")[2]
        original = functions[generated.partition("__mutmut_")[0] + "__mutmut_orig"]
        mutant = functions[generated]
        mutants.append(
            Mutant(
                key=key,
                exit_code=exit_code,
                string_only=changes_only_strings(original, mutant),
                diff=source_diff(original, mutant),
            )
        )
    return mutants


def _natural(key: str) -> tuple[str, int]:
    stem, _, number = key.rpartition("_")
    return stem, int(number) if number.isdigit() else 0


def packages() -> list[str]:
    """The project's top-level Python packages (tests/ is copied by mutmut itself)."""
    return sorted(
        p.name
        for p in ROOT.iterdir()
        if (p / "__init__.py").is_file() and p.name not in ("tests", "tools")
    )


def prepare(module: Module) -> Path:
    """A fresh directory for mutmut: links to the project, and pyproject.toml with the config."""
    directory = WORK / module.name
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    also_copy = ["templates", "static", "manage.py"]
    for name in [*packages(), "tests", *also_copy]:
        (directory / name).symlink_to(ROOT / name)
    pyproject = (ROOT / "pyproject.toml").read_text()
    if "[tool.mutmut]" in pyproject:
        sys.exit("pyproject.toml has its own [tool.mutmut]: tools/mutation.py writes that table.")
    config = {
        "source_paths": packages(),
        "also_copy": also_copy,
        "only_mutate": [module.path],
        "pytest_add_cli_args_test_selection": list(module.tests),
        "pytest_add_cli_args": list(module.pytest_args),
        # The working directory is not the project's repository: nothing to compare against.
        "use_git_change_detection": False,
    }
    table = "\n".join(f"{key} = {json.dumps(value)}" for key, value in config.items())
    (directory / "pyproject.toml").write_text(f"{pyproject}\n[tool.mutmut]\n{table}\n")
    return directory


def run(module: Module) -> Score:
    directory = prepare(module)
    log = directory / "mutmut.log"
    mutmut = Path(sys.executable).parent / "mutmut"
    print(f"{module.name}: mutating {module.path} against {' '.join(module.tests)}", flush=True)
    with log.open("w") as out:
        completed = subprocess.run(
            [str(mutmut), "run"], cwd=directory, stdout=out, stderr=subprocess.STDOUT
        )
    if completed.returncode != 0:
        print(log.read_text()[-4000:])
        sys.exit(f"mutmut failed on {module.path} (exit {completed.returncode}); log: {log}")
    return Score(module, read_mutants(directory, module))


def table(scores: list[Score]) -> str:
    rows = [
        "| module | killed | survived | total | score | non-string killed | non-string total "
        "| non-string score |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        killed = sum(m.killed for m in s.mutants)
        ns_killed = sum(m.killed for m in s.non_string)
        rows.append(
            f"| {s.module.path} | {killed} | {len(s.mutants) - killed} | {len(s.mutants)} "
            f"| {s.score_all:.1f}% | {ns_killed} | {len(s.non_string)} "
            f"| {s.score_non_string:.1f}% |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help=", ".join(m.name for m in MODULES) + " (all)")
    parser.add_argument(
        "--list-survivors", action="store_true", help="print each non-string survivor's change"
    )
    args = parser.parse_args(argv)
    unknown = set(args.modules) - {m.name for m in MODULES}
    if unknown:
        parser.error(f"unknown modules: {', '.join(sorted(unknown))}")
    chosen = [m for m in MODULES if not args.modules or m.name in args.modules]
    scores = []
    for module in chosen:
        score = run(module)
        scores.append(score)
        print(
            f"{module.name}: {score.score_non_string:.1f}% of non-string mutants killed, "
            f"{len(score.survivors)} survive",
            flush=True,
        )
    (WORK / "survivors.txt").write_text(
        "".join(
            f"{m.key} (exit {m.exit_code})\n" + "".join(f"    {line}\n" for line in m.diff)
            for s in scores
            for m in s.survivors
        )
    )
    if args.list_survivors:
        print((WORK / "survivors.txt").read_text())
    print()
    print(table(scores))
    print(f"\nNon-string survivors and their changes: {WORK / 'survivors.txt'}")
    under = [s.module.path for s in scores if s.score_non_string < TARGET]
    if under:
        print(f"Under {TARGET:.0f}% of non-string mutants killed: {', '.join(under)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
