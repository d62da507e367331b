"""Each export's bytes, written once per public data version to a file and served from it.

An export of the whole registry costs seconds of CPU at 100k companies; the same bytes answer
every request until a public change moves the data version. Files are produced inside one
snapshot of the database (every table at one version, named in the file), with the SHA-256
taken as they are written, then renamed into place (several instances may race to write the
same version; the rename makes either result whole). Serving a stored file holds no database
connection, however slowly the client reads.
"""

import gzip
import hashlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from app.changes import clock
from app.core.db import Snapshots, give_back_connection
from app.core.etags import data_version
from app.log.store import size as log_size

PUBLIC = "public"
VERSIONS_KEPT = 3  # a client may still be reading an older file when a newer one lands
Produce = Callable[[Session], Iterator[bytes]]
State = tuple[int, str]  # the public data version, and the database's epoch


@dataclass(frozen=True)
class Stored:
    path: Path
    clock: int  # the public data version the file was made at
    sha256: str
    size: int
    log_size: int | None = None  # the log's leaves in the snapshot the file was made from

    @property
    def data_version(self) -> str:
        return data_version(PUBLIC, self.clock)

    @property
    def gzipped(self) -> Path:
        """The same bytes, gzip-coded once when the file was made (sent to clients that accept
        gzip: compressing tens of MB per request would cost a CPU-second each time)."""
        return _gzipped(self.path)


class ExportStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()  # one producer per process; readers never wait on it

    def _path(self, file_name: str, at: State) -> Path:
        stem, _, suffix = file_name.rpartition(".")
        return self.directory / f"{stem}.{at[1]}-v{at[0]}.{suffix}"

    def _found(self, file_name: str, at: State) -> Stored | None:
        path = self._path(file_name, at)
        checksum = _checksum_of(path)
        if not checksum.exists():  # written after the file itself: its presence means whole
            return None
        sha, size, *log_size = checksum.read_text().split()
        return Stored(path, at[0], sha, int(size), int(log_size[0]) if log_size else None)

    def files(
        self, session: Session, snapshots: Snapshots, wanted: dict[str, Produce]
    ) -> dict[str, Stored]:
        """The files named in `wanted`, all at one public data version: the current one when
        already stored, else made now from one snapshot (`wanted` maps a file name to what
        produces its bytes)."""
        now = clock.public_state(session)
        found = {name: self._found(name, now) for name in wanted}
        if all(found.values()):
            return {name: stored for name, stored in found.items() if stored}
        # Making them takes a snapshot connection of its own, and others asking meanwhile wait
        # for this one: none of them may keep a pooled connection while waiting (with every
        # connection held by a waiter, the maker's snapshot could not get one).
        give_back_connection(session)
        with self._lock, snapshots() as snapshot:
            at, leaves = clock.public_state(snapshot), log_size(snapshot)
            made: dict[str, Stored] = {}
            for name, produce in wanted.items():
                made[name] = self._found(name, at) or self._write(
                    name, at, produce(snapshot), leaves
                )
            return made

    def _write(self, file_name: str, at: State, chunks: Iterator[bytes], leaves: int) -> Stored:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self._path(file_name, at)
        partial = path.with_name(f"{path.name}.{threading.get_ident()}.partial")
        partial_gz = partial.with_suffix(".gz")
        sha, size = hashlib.sha256(), 0
        with partial.open("wb") as out, gzip.GzipFile(partial_gz, "wb", 6, mtime=0) as out_gz:
            for chunk in chunks:
                sha.update(chunk)
                size += len(chunk)
                out.write(chunk)
                out_gz.write(chunk)
        partial.replace(path)
        partial_gz.replace(_gzipped(path))
        checksum, written = _checksum_of(path), partial.with_suffix(".sha256")
        written.write_text(f"{sha.hexdigest()} {size} {leaves}\n")
        written.replace(checksum)
        self._forget_older(file_name, at)
        return Stored(path, at[0], sha.hexdigest(), size, leaves)

    def _forget_older(self, file_name: str, at: State) -> None:
        """Keep the newest few versions of this database; drop any other database's."""
        stem, _, suffix = file_name.rpartition(".")
        older: list[tuple[int, Path]] = []
        for path in self.directory.glob(f"{stem}.*-v*.{suffix}"):
            epoch, _, number = path.name[len(stem) + 1 : -len(suffix) - 1].rpartition("-v")
            if not number.isdigit():
                continue
            if epoch != at[1]:
                _remove(path)
            elif int(number) < at[0]:
                older.append((int(number), path))
        older.sort()
        for _, path in older[: max(0, len(older) - (VERSIONS_KEPT - 1))]:
            _remove(path)


def _remove(path: Path) -> None:
    for leftover in (path, _gzipped(path), _checksum_of(path)):
        leftover.unlink(missing_ok=True)


def _checksum_of(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _gzipped(path: Path) -> Path:
    return path.with_name(path.name + ".gz")
