"""Every bound the runtime enforces, in one place, checked before the work starts.

A value past a limit is never processed further: it yields a ``limit_exceeded`` finding, which
the failure mode turns into block (closed) or pass (open).
"""

from __future__ import annotations

MAX_EVENT_BYTES = 6 * 1024 * 1024 + 1024  # Lambda's synchronous payload limit, plus slack
MAX_FIELD_CHARS = 1024 * 1024  # one string longer than this is not inspected whole
MAX_DECODED_BYTES = 8 * 1024 * 1024  # output of any one decoder
MAX_DECODE_DEPTH = 6  # decoders applied in a chain (base64 -> gzip -> json ...)
MAX_NESTING_DEPTH = 64  # containers inside containers
MAX_FIELDS = 100_000  # strings inspected in one event
MAX_DECOMPRESSION_RATIO = 100  # decompressed size / compressed size
MAX_INSPECTION_SECONDS = 0.5  # wall-clock budget of one inspect() call
EXCERPT_CHARS = 48  # longest excerpt a finding or log line carries
