"""Everything a reader sees in their language: language tags, UI strings, dates."""
