"""Migration from Atlassian Statuspage: its public API v2 JSON -> incident files.

Three steps, one module each: :mod:`.download` reads an export from a local file or a
page's API (the only I/O, bounded in time and size); :mod:`.export` collects its
documented shapes into plain records, deduplicated by Statuspage id; :mod:`.convert`
plans one incident file per Statuspage incident or maintenance, purely and
deterministically, with a YAML comment naming the Statuspage id so that a re-import
finds the file again. The names below are the import's public interface.
"""

from __future__ import annotations

from .convert import (
    MARKER,
    ComponentMap,
    ImportPlan,
    NewComponent,
    PlannedFile,
    attribute_block,
    components_snippet,
    convert_body,
    find_marker,
    group_slug,
    marker_id,
    plan,
    relative,
    safe_shortlink,
)
from .download import DEADLINE, MAX_BYTES, Deadline, read_source
from .export import Collected, SourceError, SPComponent, SPIncident, SPUpdate, collect, parse_time

__all__ = [
    "DEADLINE", "MARKER", "MAX_BYTES", "Collected", "ComponentMap", "Deadline", "ImportPlan", "NewComponent", "PlannedFile",
    "SPComponent", "SPIncident", "SPUpdate", "SourceError", "attribute_block", "collect", "components_snippet", "convert_body",
    "find_marker", "group_slug", "marker_id", "parse_time", "plan", "read_source", "relative", "safe_shortlink",
]  # fmt: skip
