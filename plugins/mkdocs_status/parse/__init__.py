"""Reading incident files: front matter, update headings, language blocks."""

from .incident import ParseSettings, parse_incident, parse_site_incidents

__all__ = ["ParseSettings", "parse_incident", "parse_site_incidents"]
