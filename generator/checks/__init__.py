"""Checks over a document's own text: text helpers, document model, expectations, rules, reports."""
