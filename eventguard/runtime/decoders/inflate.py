"""gzip and zlib (CloudWatch Logs subscriptions, compressed records), bounded in output.

Never an unbounded ``zlib.decompress``: the output is capped before the work starts at
``max(MIN_DECOMPRESSED_BYTES, MAX_DECOMPRESSION_RATIO * len(input))`` and ``MAX_DECODED_BYTES``,
so a gzip bomb costs at most that much memory and raises ``LimitExceeded``.
"""

from __future__ import annotations

import zlib

from ..errors import DecodeError, LimitExceeded
from ..limits import MAX_DECODED_BYTES, MAX_DECOMPRESSION_RATIO, MIN_DECOMPRESSED_BYTES
from ._text import as_bytes

_AUTO = 32 + zlib.MAX_WBITS  # accept a gzip or a zlib header


def is_compressed(data: bytes) -> bool:
    """A gzip magic number, or a valid zlib header (CMF 0x78 and the FCHECK checksum)."""
    if data[:2] == b"\x1f\x8b":
        return True
    return len(data) > 1 and data[0] == 0x78 and (data[0] * 256 + data[1]) % 31 == 0


def decode(value: str | bytes) -> bytes:
    """Decompress gzip or zlib data; DecodeError when it is neither or is truncated."""
    data = as_bytes(value)
    ratio_cap = max(MIN_DECOMPRESSED_BYTES, MAX_DECOMPRESSION_RATIO * len(data))
    cap = min(ratio_cap, MAX_DECODED_BYTES)
    inflater = zlib.decompressobj(_AUTO)
    out: list[bytes] = []
    try:
        out.append(inflater.decompress(data, cap + 1))
        size = len(out[0])
        # Concatenated gzip members (allowed by the format) follow in unused_data.
        while inflater.eof and inflater.unused_data and size <= cap:
            rest = inflater.unused_data
            inflater = zlib.decompressobj(_AUTO)
            out.append(inflater.decompress(rest, cap + 1 - size))
            size += len(out[-1])
    except zlib.error as exc:
        raise DecodeError(f"invalid gzip/zlib data: {exc}") from None
    if size > cap or inflater.unconsumed_tail:
        limit = "MAX_DECOMPRESSION_RATIO" if cap == ratio_cap else "MAX_DECODED_BYTES"
        raise LimitExceeded(limit, f"{len(data)} compressed bytes expand past {cap}")
    if not inflater.eof:
        raise DecodeError("truncated gzip/zlib data")
    return b"".join(out)
