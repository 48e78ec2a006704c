"""Quine–McCluskey for QCA: prime implicants, essential ones, and every minimum cover.

Cubes are (values, dashes) bit masks over the conditions (bit i = condition i; a dash means the
condition does not matter). The cover step is an exact branch-and-bound search over the prime
implicant chart (the job Petrick's method does, without multiplying out its product of sums,
which explodes on charts of a few dozen implicants). The cost is lexicographic: fewest
implicants, then fewest literals; every cover of minimum cost is returned, up to a limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Cube = tuple[int, int]  # (values, dashes)

MAX_MODELS = 20  # equally minimal models listed; more are counted as truncated
MAX_NODES = 2_000_000  # search nodes before giving up on an exact answer


@dataclass(frozen=True)
class Covers:
    """Essential implicants and every minimum cover (indices into the prime implicants)."""

    essential: tuple[int, ...]
    covers: tuple[tuple[int, ...], ...]
    truncated: bool  # more equally minimal covers exist than were kept


def covers(cube: Cube, minterm: int) -> bool:
    """Whether the configuration `minterm` lies in the cube."""
    values, dashes = cube
    return minterm & ~dashes == values


def literal_count(cube: Cube, width: int) -> int:
    """Conditions the cube names (present or absent)."""
    return width - cube[1].bit_count()


def prime_implicants(minterms: set[int], width: int) -> set[Cube]:
    """Quine–McCluskey: merge cubes differing in one value until none merge; leftovers are prime."""
    current: set[Cube] = {(m, 0) for m in minterms}
    primes: set[Cube] = set()
    while current:
        merged: set[Cube] = set()
        used: set[Cube] = set()
        for values, dashes in current:
            for bit in (1 << i for i in range(width)):
                partner = (values | bit, dashes)
                if not (values | dashes) & bit and partner in current:
                    merged.add((values, dashes | bit))
                    used.update(((values, dashes), partner))
        primes |= current - used
        current = merged
    return primes


def minimum_covers(
    primes: Sequence[Cube], on: set[int], width: int, *, limit: int = MAX_MODELS
) -> Covers:
    """Essential prime implicants, then every cheapest cover of the rest of `on`."""
    minterms = sorted(on)
    masks = [sum(1 << j for j, m in enumerate(minterms) if covers(c, m)) for c in primes]
    options = [sum(1 << i for i, mask in enumerate(masks) if mask >> j & 1) for j in range(len(on))]
    essential = sorted({opt.bit_length() - 1 for opt in options if opt.bit_count() == 1})
    if not minterms:
        return Covers((), (), False)
    covered = 0
    for i in essential:
        covered |= masks[i]
    big = width * len(primes) + 1  # one more implicant always costs more than any literals
    search = _Search(masks, options, [big + literal_count(c, width) for c in primes], limit)
    allowed = (1 << len(primes)) - 1 & ~sum(1 << i for i in essential)
    search.run((1 << len(minterms)) - 1 & ~covered, allowed, tuple(essential), 0)
    found = tuple(sorted(tuple(sorted(cover)) for cover in search.found))
    return Covers(tuple(essential), found, search.truncated)


@dataclass
class _Search:
    masks: list[int]  # per implicant: the minterms it covers
    options: list[int]  # per minterm: the implicants covering it
    costs: list[int]
    limit: int
    best: float = float("inf")
    found: list[tuple[int, ...]] = field(default_factory=list)
    truncated: bool = False
    nodes: int = 0

    def run(self, uncovered: int, allowed: int, chosen: tuple[int, ...], cost: int) -> None:
        """Branch on the minterm with fewest options; implicant k excludes those tried before."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ValueError(
                "prime implicant chart too large to solve exactly; use fewer conditions"
            )
        if not uncovered:
            self._record(chosen, cost)
            return
        bound = self._lower_bound(uncovered, allowed)
        # Once the list of ties is full and one more tie was seen, ties are no longer explored.
        done_with_ties = self.truncated and len(self.found) >= self.limit
        if (
            bound is None
            or cost + bound > self.best
            or (done_with_ties and cost + bound >= self.best)
        ):
            return
        pivot = min(_bits(uncovered), key=lambda j: (self.options[j] & allowed).bit_count())
        choices = sorted(
            _bits(self.options[pivot] & allowed),
            key=lambda i: (-(self.masks[i] & uncovered).bit_count(), self.costs[i], i),
        )
        for i in choices:
            self.run(uncovered & ~self.masks[i], allowed, (*chosen, i), cost + self.costs[i])
            allowed &= ~(1 << i)

    def _lower_bound(self, uncovered: int, allowed: int) -> int | None:
        """Minterms no two of which share an implicant each need their own: a cost bound."""
        used = 0
        bound = 0
        minterms = sorted(_bits(uncovered), key=lambda j: (self.options[j] & allowed).bit_count())
        for j in minterms:
            choice = self.options[j] & allowed
            if not choice:
                return None  # some configuration can no longer be covered
            if not choice & used:
                used |= choice
                bound += min(self.costs[i] for i in _bits(choice))
        return bound

    def _record(self, chosen: tuple[int, ...], cost: int) -> None:
        if cost > self.best:
            return
        if cost < self.best:
            self.best, self.found, self.truncated = cost, [chosen], False
        elif len(self.found) < self.limit:
            self.found.append(chosen)
        else:
            self.truncated = True


def _bits(mask: int) -> list[int]:
    """Positions of the set bits."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out
