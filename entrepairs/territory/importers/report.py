"""What an import did (created / updated / skipped (unchanged) / rejected), and its progress bar."""

import sys
from collections import Counter
from dataclasses import dataclass, field

from tqdm import tqdm


def progress(iterable=None, *, desc: str = "", total: int | None = None, enabled: bool = True):
    """A tqdm progress bar on stderr, shown only when stderr is a terminal."""
    return tqdm(
        iterable,
        desc=desc,
        total=total,
        file=sys.stderr,
        disable=None if enabled else True,  # None: hidden when stderr is not a TTY
        unit=" lignes",
        leave=False,
        dynamic_ncols=True,
    )


@dataclass
class Summary:
    """Counts per kind of record, plus notes about data that was reported but not fatal."""

    title: str
    counts: dict[str, Counter] = field(default_factory=dict)
    info: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # reported problems that were not fatal

    def add(self, label: str, *, created=0, updated=0, skipped=0, rejected=0):
        counter = self.counts.setdefault(label, Counter())
        counter.update(created=created, updated=updated, skipped=skipped, rejected=rejected)

    def get(self, label: str, what: str) -> int:
        return self.counts.get(label, Counter())[what]

    def lines(self) -> list[str]:
        lines = [self.title]
        for label, c in self.counts.items():
            lines.append(
                f"  {label} : {c['created']} créé(s), {c['updated']} mis à jour, "
                f"{c['skipped']} inchangé(s), {c['rejected']} rejeté(s)"
            )
        lines += [f"  {line}" for line in self.info]
        lines += [f"  ! {note}" for note in self.notes]
        return lines
