"""Reading documents back into located lines: Word (python-docx), PDF (poppler), one dispatcher."""
