"""A .docx package written with fixed entry dates and order, each part compressed once (as zipfile would)."""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # deflate
_UNIX = 3
_READABLE = 0o644 << 16
_UTF8_NAME = 0x800


@dataclass(frozen=True)
class Entry:
    """A part of the package, deflated: a part that never changes is compressed once per process."""

    name: str
    size: int
    crc: int
    deflated: bytes


def entry(name: str, data: bytes) -> Entry:
    """A part deflated as zipfile deflates it (default level, raw stream)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Entry(name, len(data), zlib.crc32(data), compressor.compress(data) + compressor.flush())


@lru_cache(maxsize=256)
def shared_entry(name: str, data: bytes) -> Entry:
    """`entry`, remembered: the small parts that documents share (a footer, the numbering, relationships) are
    deflated once."""
    return entry(name, data)


def write_archive(path: Path, entries: Sequence[Entry], when: datetime) -> None:
    """Write the package at `path` (through a temporary file), every entry dated `when`: the same entries give the
    same bytes, those zipfile writes."""
    date = (when.year - 1980) << 9 | when.month << 5 | when.day
    time = when.hour << 11 | when.minute << 5 | when.second // 2
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for item in entries:
        name, flags = _encoded(item.name)
        fields = (flags, zlib.DEFLATED, time, date, item.crc, len(item.deflated), item.size, len(name))
        header = _LOCAL.pack(b"PK\003\004", _VERSION, 0, *fields, 0) + name
        directory.append(
            _CENTRAL.pack(b"PK\001\002", _VERSION, _UNIX, _VERSION, 0, *fields, 0, 0, 0, 0, _READABLE, offset) + name
        )
        chunks += [header, item.deflated]
        offset += len(header) + len(item.deflated)
    central = b"".join(directory)
    end = _END.pack(b"PK\005\006", 0, 0, len(entries), len(entries), len(central), offset, 0)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(b"".join([*chunks, central, end]))
    os.replace(temporary, path)


def _encoded(name: str) -> tuple[bytes, int]:
    """The entry's name as zipfile encodes it: ASCII as is, anything else in UTF-8 with the flag that says so."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8_NAME
