"""The data the documents are made from, as plain immutable values: territory, programmes, computed totals."""
