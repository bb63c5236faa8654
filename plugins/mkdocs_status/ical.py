"""Placeholder until its issue lands."""

from __future__ import annotations

from typing import Any


def build(data: Any) -> dict[str, str | bytes]:
    return {}
