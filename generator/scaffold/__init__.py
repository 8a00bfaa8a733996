"""Scaffolding a new project (`atfpb init`) for any EPCI of France from the shipped referentials."""

from __future__ import annotations

from .create import create_project
from .report import InitReport

__all__ = ["InitReport", "create_project"]
