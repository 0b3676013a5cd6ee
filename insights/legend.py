"""How the map shows a measure: five bands, each a colour and a size, so that colour is never
the only cue, and each with the words of its range for the legend. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Light to dark; each marker also has a dark outline, which keeps 3:1 against the page.
COLOURS = ("#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d")
RADII = (5, 7, 9, 11, 13)


@dataclass(frozen=True)
class Band:
    label: str
    colour: str
    radius: int
    low: float
    high: float


def decile_bands() -> list[Band]:
    """Deciles in pairs, the most deprived darkest and largest."""
    return [
        Band(f"Deciles {low} and {low + 1}" + (" (most deprived)" if low == 1 else "")
             + (" (least deprived)" if low == 9 else ""),
             COLOURS[4 - i], RADII[4 - i], low, low + 1.99)
        for i, low in enumerate((1, 3, 5, 7, 9))
    ]  # fmt: skip


def quantile_bands(values: Sequence[float], *, decimals: int = 1) -> list[Band]:
    """Five bands by the values' fifths, the highest darkest and largest; fewer when values
    repeat (a district with nothing in reach anywhere has one band: 0). Labels have as many
    decimals as it takes (up to 3 more than asked) for no two of them to read the same."""
    ordered = sorted(values)
    if not ordered:
        return []
    cuts = sorted({ordered[min(len(ordered) - 1, len(ordered) * k // 5)] for k in range(5)})
    cuts.append(ordered[-1])
    for _ in range(3):
        if len({f"{c:,.{decimals}f}" for c in cuts[:-1]}) == len(cuts) - 1:
            break
        decimals += 1
    bands = []
    for i, low in enumerate(cuts[:-1]):
        last = i == len(cuts) - 2
        high = cuts[i + 1]
        label = (
            f"{low:,.{decimals}f} to {high:,.{decimals}f}"
            if last
            else f"{low:,.{decimals}f} to under {high:,.{decimals}f}"
        )
        if last and low == high:
            label = f"{low:,.{decimals}f}"
        step = 5 - (len(cuts) - 1) + i
        bands.append(Band(label, COLOURS[step], RADII[step], low, high))
    return bands


def band_of(value: float, bands: Sequence[Band]) -> int:
    """The index of the band a value falls in: the last whose low end it reaches."""
    found = 0
    for i, band in enumerate(bands):
        if value >= band.low:
            found = i
    return found
