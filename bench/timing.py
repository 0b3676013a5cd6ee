"""Timing for the benchmark: quantiles of repeated calls that take turns, and its printing.

Pure (no Django): the bench's sections (search, pages, matching) share it.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

WARMUP = 10
# Slow queries get fewer timed runs: at least MIN_RUNS, then until ~QUERY_BUDGET_S per path.
MIN_RUNS = 30
QUERY_BUDGET_S = 5.0


@dataclass
class Timings:
    ns: list[int] = field(default_factory=list)

    def add(self, ns: int) -> None:
        self.ns.append(ns)

    @property
    def n(self) -> int:
        return len(self.ns)

    def _cuts(self) -> list[float]:
        if len(self.ns) < 2:
            return [float(self.ns[0] if self.ns else 0)] * 99
        return statistics.quantiles(self.ns, n=100, method="inclusive")

    @property
    def p50(self) -> float:
        return self._cuts()[49] / 1e6

    @property
    def p95(self) -> float:
        return self._cuts()[94] / 1e6

    @property
    def mean(self) -> float:
        return statistics.fmean(self.ns) / 1e6 if self.ns else 0.0

    @property
    def total_s(self) -> float:
        return sum(self.ns) / 1e9


def timed(fns: dict, runs: int, *, warmup: int = WARMUP, budget_s: float = QUERY_BUDGET_S):
    """Timings of each of `fns` (name: callable): `runs` timed calls each after `warmup`
    untimed ones, slow ones stopping at ~budget_s per callable.

    The callables take turns, one call each per round, so load from other processes on a
    shared machine falls on all of them alike and their ratio stays fair.
    """
    clock = time.perf_counter_ns
    budget_ns = int(budget_s * 1e9)
    for fn in fns.values():
        started = clock()
        for i in range(warmup):
            fn()
            if i >= 1 and clock() - started > budget_ns // 5:
                break
    timings = {name: Timings() for name in fns}
    started = clock()
    for done in range(1, runs + 1):
        for name, fn in fns.items():
            start = clock()
            fn()
            timings[name].add(clock() - start)
        if done >= MIN_RUNS and clock() - started > budget_ns * len(fns):
            break
    return timings


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def rule(title: str = "") -> None:
    print()
    print(f"== {title} ".ljust(78, "=") if title else "=" * 78)
