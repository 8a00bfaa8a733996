"""Comparing a document we sent with the copy a partner sent back: a Word redline and a French report by article."""

from __future__ import annotations

from .report import as_json, as_text
from .run import Comparison, compare_documents, exit_code
from .subject import KINDS, Selection

__all__ = ["KINDS", "Comparison", "Selection", "as_json", "as_text", "compare_documents", "exit_code"]
