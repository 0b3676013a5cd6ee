"""Relevance of the directory's search, measured on a judged set of queries (pure: no Django).

The judged set (bench/relevance_queries.json) holds queries as members of the public and link
workers type them, each with rules saying which activities of the demo borough should come
first. A rule names an activity by what holds however the borough's seed falls: a regular
expression on its title, category slugs, accessibility features of its venue, the outward code
it is in, its cost. An activity's grade for a query is the highest grade of the rules it meets:
2 is exactly what the person wants, 1 is acceptable, no rule met is 0.

Figures, for each backend:
    nDCG@10   the discounted cumulative gain of the first ten results, (2^grade - 1) /
              log2(rank + 1) summed, over the same for the best possible ten (the judged
              activities the index holds, best grades first). 1.0 is a perfect first page.
              A query none of whose judged activities is in the index cannot be scored: it is
              reported as such, never counted as 0 or 1.
    zero-result rate
              the share of the queries that found nothing at all.

`evaluate` runs the set through any search function, so the figures are computed the same way
for every backend and in the tests.
"""

from __future__ import annotations

import json
import math
import re
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

QUERIES_FILE = Path(__file__).resolve().parent / "relevance_queries.json"
K = 10
# The targets the issue sets for the embedded backend.
TARGET_NDCG = 0.8
TARGET_ZERO_RESULT_RATE = 0.0
GRADES = (1, 2)
# What each kind of query tests (the judged set's "kind").
KINDS = {
    "plain": "the directory's own words",
    "everyday": "everyday words and needs",
    "typo": "misspelt",
    "place": "a place or postcode in the words",
    "form": "case, punctuation, accents, spacing",
}
RULE_KEYS = {"grade", "title", "category", "access", "outcode", "cost"}
COSTS = {"free", "pay_what_you_can", "paid"}
OUTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")


# What is judged --------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityFacts:
    """What a rule looks at in one activity."""

    id: int
    title: str
    # Its categories' slugs with their ancestors' (a rule on a parent category matches).
    categories: frozenset[str] = frozenset()
    # Accessibility features of its venue.
    access: frozenset[str] = frozenset()
    # The outward code of its venue, or those of the area it serves.
    outcodes: frozenset[str] = frozenset()
    cost: str = ""

    @property
    def signature(self) -> tuple:
        """Everything a rule looks at: activities alike in it get the same grade."""
        return (self.title, self.categories, self.access, self.outcodes, self.cost)


@dataclass(frozen=True)
class Rule:
    """Activities meeting every condition given (an unset one always holds) get `grade`.

    title: a regular expression searched in the title, case aside. category: any of these
    slugs. access: all of these features. outcode: any of these outward codes. cost: any of
    these costs.
    """

    grade: int
    title: re.Pattern | None = None
    categories: frozenset[str] = frozenset()
    access: frozenset[str] = frozenset()
    outcodes: frozenset[str] = frozenset()
    costs: frozenset[str] = frozenset()

    def matches(self, activity: ActivityFacts) -> bool:
        return (
            (self.title is None or self.title.search(activity.title) is not None)
            and (not self.categories or not self.categories.isdisjoint(activity.categories))
            and self.access <= activity.access
            and (not self.outcodes or not self.outcodes.isdisjoint(activity.outcodes))
            and (not self.costs or activity.cost in self.costs)
        )

    @classmethod
    def from_json(cls, data: Mapping) -> Rule:
        unknown = set(data) - RULE_KEYS
        if unknown:
            raise ValueError(f"Unknown keys in a rule: {sorted(unknown)}")
        grade = data.get("grade")
        if grade not in GRADES:
            raise ValueError(f"A rule's grade is 1 or 2, not {grade!r}")
        if not set(data) - {"grade"}:
            raise ValueError("A rule needs at least one condition besides its grade")
        title = data.get("title")
        outcodes = frozenset(o.upper() for o in _strings(data, "outcode"))
        bad = [o for o in outcodes if not OUTCODE.match(o)]
        if bad:
            raise ValueError(f"Not outward codes: {bad}")
        costs = frozenset(_strings(data, "cost"))
        if costs - COSTS:
            raise ValueError(f"Unknown costs: {sorted(costs - COSTS)}")
        return cls(
            grade=grade,
            title=re.compile(title, re.IGNORECASE) if title else None,
            categories=frozenset(_strings(data, "category")),
            access=frozenset(_strings(data, "access")),
            outcodes=outcodes,
            costs=costs,
        )


def _strings(data: Mapping, key: str) -> list[str]:
    value = data.get(key, [])
    values = [value] if isinstance(value, str) else list(value)
    if not all(isinstance(v, str) and v for v in values):
        raise ValueError(f"{key} takes a string or a list of strings, not {value!r}")
    return values


@dataclass(frozen=True)
class JudgedQuery:
    text: str
    kind: str
    rules: tuple[Rule, ...]
    note: str = ""

    def grade(self, activity: ActivityFacts) -> int:
        return max((r.grade for r in self.rules if r.matches(activity)), default=0)

    @classmethod
    def from_json(cls, data: Mapping) -> JudgedQuery:
        text = data.get("q")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"A query needs its words in q: {data!r}")
        kind = data.get("kind")
        if kind not in KINDS:
            raise ValueError(f"{text!r}: kind is one of {sorted(KINDS)}, not {kind!r}")
        rules = tuple(Rule.from_json(r) for r in data.get("judgments", []))
        if not any(r.grade == max(GRADES) for r in rules):
            raise ValueError(f"{text!r}: no judgment says what the person wants (grade 2)")
        return cls(text=text, kind=kind, rules=rules, note=data.get("note", ""))


def load_judged_set(path: Path = QUERIES_FILE) -> list[JudgedQuery]:
    """The judged queries, checked: each once, each with a grade-2 judgment."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    queries = [JudgedQuery.from_json(q) for q in data["queries"]]
    seen: set[str] = set()
    for query in queries:
        if query.text in seen:
            raise ValueError(f"{query.text!r} is judged twice")
        seen.add(query.text)
    return queries


# The metric -------------------------------------------------------------------------------


def gain(grade: int) -> float:
    """A result's worth: exponential in its grade, so one exact match outweighs two
    acceptable ones (3 against 1 + 1)."""
    return float(2**grade - 1)


def dcg(grades: Sequence[int], k: int = K) -> float:
    """Discounted cumulative gain of the first k grades, in rank order (rank 1 first)."""
    return sum(gain(g) / math.log2(rank + 1) for rank, g in enumerate(grades[:k], start=1))


def ndcg(ranked: Sequence[int], judged: Iterable[int], k: int = K) -> float | None:
    """nDCG@k of the grades of a ranking against the grades of every judged activity that
    could have been found; None when none could (nothing to score against)."""
    ideal = dcg(sorted((g for g in judged if g > 0), reverse=True), k)
    if ideal == 0:
        return None
    return dcg(ranked, k) / ideal


# Running the set --------------------------------------------------------------------------

# A search: the query's words -> (how many it found in all, the ids of its first results).
Search = Callable[[str], tuple[int, Sequence[int]]]


@dataclass
class Outcome:
    query: JudgedQuery
    total: int
    ids: list[int]
    grades: list[int]
    # How many activities the index holds at each grade.
    judged: dict[int, int]
    ndcg: float | None
    titles: list[str] = field(default_factory=list)

    @property
    def scored(self) -> bool:
        return self.ndcg is not None


@dataclass
class Report:
    outcomes: list[Outcome]
    k: int = K

    @property
    def scored(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.scored]

    @property
    def unscored(self) -> list[Outcome]:
        """Queries none of whose judged activities the index holds: not counted in the mean."""
        return [o for o in self.outcomes if not o.scored]

    @property
    def mean_ndcg(self) -> float | None:
        scored = self.scored
        return statistics.fmean(o.ndcg for o in scored) if scored else None

    @property
    def zero_results(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.total == 0]

    @property
    def zero_result_rate(self) -> float:
        return len(self.zero_results) / len(self.outcomes) if self.outcomes else 0.0

    def by_kind(self) -> dict[str, tuple[int, float | None, int]]:
        """For each kind of query: (queries, mean nDCG@k of those scored, zero-result count)."""
        kinds = {}
        for kind in KINDS:
            outcomes = [o for o in self.outcomes if o.query.kind == kind]
            if not outcomes:
                continue
            scored = [o.ndcg for o in outcomes if o.ndcg is not None]
            kinds[kind] = (
                len(outcomes),
                statistics.fmean(scored) if scored else None,
                sum(1 for o in outcomes if o.total == 0),
            )
        return kinds

    def worst(self, n: int = 10) -> list[Outcome]:
        """The scored queries that found something, lowest nDCG first (ties in the set's
        order); those that found nothing are listed on their own."""
        return sorted((o for o in self.scored if o.total), key=lambda o: o.ndcg)[:n]

    def targets_met(self) -> tuple[bool, bool]:
        """(nDCG@k target met, zero-result target met): the issue's targets."""
        mean = self.mean_ndcg
        return (
            mean is not None and mean >= TARGET_NDCG,
            self.zero_result_rate <= TARGET_ZERO_RESULT_RATE,
        )


def evaluate(
    queries: Sequence[JudgedQuery],
    activities: Mapping[int, ActivityFacts],
    search: Search,
    *,
    k: int = K,
) -> Report:
    """Run each query through `search` and score its first k results against the judgments.

    `activities` are those the search could find (in the index and running): the ideal ranking
    is made of them. A result that is not among them (it should not happen) earns nothing.
    """
    # Activities alike in everything the rules look at are graded once: a bench database
    # holds thousands of copies of the demo's few dozen kinds of activity.
    alike: dict[tuple, tuple[ActivityFacts, int]] = {}
    for activity in activities.values():
        first, count = alike.get(activity.signature, (activity, 0))
        alike[activity.signature] = (first, count + 1)
    outcomes = []
    for query in queries:
        grade_of: dict[tuple, int] = {}
        judged: dict[int, int] = {}
        for signature, (first, count) in alike.items():
            grade = grade_of[signature] = query.grade(first)
            if grade:
                judged[grade] = judged.get(grade, 0) + count
        ideal = [g for g in sorted(judged, reverse=True) for _ in range(min(judged[g], k))]
        total, ids = search(query.text)
        ids = list(ids)[:k]
        grades = [grade_of[activities[i].signature] if i in activities else 0 for i in ids]
        outcomes.append(
            Outcome(
                query=query,
                total=total,
                ids=ids,
                grades=grades,
                judged=judged,
                ndcg=ndcg(grades, ideal, k),
                titles=[activities[i].title if i in activities else f"#{i}" for i in ids],
            )
        )
    return Report(outcomes, k=k)


# Printing ---------------------------------------------------------------------------------


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def report_lines(report: Report, *, worst: int = 10) -> list[str]:
    """The report as printed under a backend's heading."""
    k = report.k
    n = len(report.outcomes)
    zero = report.zero_results
    lines = [
        f"nDCG@{k} (mean of {len(report.scored)} scored queries)   {_figure(report.mean_ndcg)}",
        f"zero-result rate                      {report.zero_result_rate:.1%} "
        f"({len(zero)} of {n} queries found nothing)",
    ]
    if report.unscored:
        lines.append(
            f"not scored (none of their judged activities is in the index): "
            f"{', '.join(repr(o.query.text) for o in report.unscored)}"
        )
    lines.append("by kind of query:")
    lines.append(f"  {'kind':<10}{'queries':>8}{f'nDCG@{k}':>9}{'zero':>6}  tests")
    for kind, (count, mean, zeros) in report.by_kind().items():
        lines.append(f"  {kind:<10}{count:>8}{_figure(mean):>9}{zeros:>6}  {KINDS[kind]}")
    if zero:
        lines.append("queries with no results:")
        lines.extend(_wrap([repr(o.query.text) for o in zero], indent="  "))
    shown = report.worst(worst)
    if shown:
        lines.append(
            f"worst {len(shown)} queries that found something "
            f"(nDCG@{k}, results, the first three with their grades):"
        )
    for o in shown:
        first = "; ".join(f"{t} [{g}]" for t, g in zip(o.titles[:3], o.grades[:3], strict=True))
        lines.append(f"  {o.ndcg:.3f} {o.total:>5}  {o.query.text!r}: {first}")
    return lines


def _wrap(items: list[str], *, indent: str, width: int = 78) -> list[str]:
    lines, line = [], indent
    for item in items:
        piece = item if line == indent else f", {item}"
        if len(line) + len(piece) > width and line != indent:
            lines.append(line + ",")
            line = indent + item
        else:
            line += piece
    if line != indent:
        lines.append(line)
    return lines
