"""make mutation's reading of mutmut's mutants (tools/mutation.py): which mutants only rewrite a
string literal, and what a survivor's change looks like."""

import ast
import json

import pytest

from tools import mutation


def function(source: str) -> ast.FunctionDef:
    return ast.parse(source).body[0]


ORIGINAL = 'def x_f__mutmut_orig(a):\n    return {"key": a.lower()} if a else None\n'


@pytest.mark.parametrize(
    "mutated",
    [
        'def x_f__mutmut_1(a):\n    return {"XXkeyXX": a.lower()} if a else None\n',
        'def x_f__mutmut_2(a):\n    return {"KEY": a.lower()} if a else None\n',
    ],
)
def test_a_mutant_that_only_rewrites_a_string_is_a_string_mutant(mutated):
    assert mutation.changes_only_strings(function(ORIGINAL), function(mutated))


@pytest.mark.parametrize(
    "mutated",
    [
        "def x_f__mutmut_3(a):\n    return {None: a.lower()} if a else None\n",
        'def x_f__mutmut_4(a):\n    return {"key": a.upper()} if a else None\n',
        'def x_f__mutmut_5(a):\n    return {"key": a.lower()} if not a else None\n',
        'def x_f__mutmut_6(a):\n    return {"key": a.lower()} if a else ""\n',
    ],
)
def test_a_mutant_that_changes_more_than_a_strings_text_is_not(mutated):
    assert not mutation.changes_only_strings(function(ORIGINAL), function(mutated))


def test_a_survivors_change_is_the_lines_it_alters_without_the_generated_names():
    mutated = 'def x_f__mutmut_5(a):\n    return {"key": a.lower()} if not a else None\n'
    assert mutation.source_diff(function(ORIGINAL), function(mutated)) == [
        "-    return {'key': a.lower()} if a else None",
        "+    return {'key': a.lower()} if not a else None",
    ]


def test_mutants_are_read_with_their_verdicts_from_mutmuts_files(tmp_path):
    module = mutation.Module("m", "pkg/m.py", ("tests/test_m.py",))
    mutated = tmp_path / "mutants" / "pkg" / "m.py"
    mutated.parent.mkdir(parents=True)
    mutated.write_text(
        "class C:\n"
        "    def xǁCǁg__mutmut_orig(self):\n        return 1\n"
        "    def xǁCǁg__mutmut_1(self):\n        return 2\n"
        'def x_f__mutmut_orig():\n    return "a"\n'
        'def x_f__mutmut_1():\n    return "XXaXX"\n'
        "def x_f__mutmut_2():\n    return None\n"
    )
    codes = {"pkg.m.xǁCǁg__mutmut_1": 1, "pkg.m.x_f__mutmut_2": 0, "pkg.m.x_f__mutmut_1": 0}
    mutated.with_name("m.py.meta").write_text(json.dumps({"exit_code_by_key": codes}))
    score = mutation.Score(module, mutation.read_mutants(tmp_path, module))
    assert [(m.key, m.killed, m.string_only) for m in score.mutants] == [
        ("pkg.m.x_f__mutmut_1", False, True),
        ("pkg.m.x_f__mutmut_2", False, False),
        ("pkg.m.xǁCǁg__mutmut_1", True, False),
    ]
    assert [m.key for m in score.survivors] == ["pkg.m.x_f__mutmut_2"]
    assert (round(score.score_all, 1), score.score_non_string) == (33.3, 50.0)


def test_a_module_without_mutants_scores_in_full():
    assert mutation.percent(0, 0) == 100.0
