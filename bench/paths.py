"""Where a bench keeps its files: shared by the entry point (before Django is set up) and the
measuring module, so it imports nothing but the standard library."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DIR = REPO / "var" / "bench"


@dataclass(frozen=True)
class BenchPaths:
    """The bench's own SQLite database, search index and media, all in one directory."""

    directory: Path

    @classmethod
    def under(cls, directory: Path) -> BenchPaths:
        return cls(directory.resolve())

    @property
    def database(self) -> Path:
        return self.directory / "bench.sqlite3"

    @property
    def index(self) -> Path:
        return self.directory / "index"

    @property
    def media(self) -> Path:
        return self.directory / "media"

    def remove_database_and_index(self) -> None:
        """Delete the bench's database (with SQLite's -wal and -shm files) and search index."""
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.database}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(self.index, ignore_errors=True)
