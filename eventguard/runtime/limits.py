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
MIN_DECOMPRESSED_BYTES = 64 * 1024  # a small input may always expand this far, whatever the ratio
MIN_SNIFF_BASE64_CHARS = 16  # an undeclared string shorter than this is never tried as base64
MIN_PRINTABLE_RATIO = 0.9  # sniffed base64 must decode to this share of printable text
MAX_MULTIPART_PARTS = 1000  # parts of one multipart/form-data body
MAX_XML_ITEMS = 10_000  # elements, attributes and texts taken from one XML body
MAX_GRAPHQL_VALUES = 10_000  # literal values taken from one GraphQL document
FIELD_OVERLAP_CHARS = 4096  # overlap of the windows a string past MAX_FIELD_CHARS is read in
MAX_FINDINGS_PER_RECORD = 10  # findings kept per batch record (each blocked record keeps one)
MAX_EVENT_FINDINGS = 50  # findings kept that belong to no record
MAX_PATH_KEY_CHARS = 64  # a longer key is shown in paths as its head and a checksum
MAX_PATH_CHARS = 512  # a longer field path keeps its head and its tail
MAX_PATTERN_CHARS = 2048  # an EventBridge rule's event pattern, as compact JSON (origin check)
MAX_PATTERN_DEPTH = 16  # objects inside objects in one event pattern
MAX_PATTERN_STEPS = 200_000  # values compared while matching one event against the patterns
