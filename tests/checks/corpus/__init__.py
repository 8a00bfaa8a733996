"""A corpus of conventions and avenants written in other house styles than ours, with the findings each must and
must not give: built as Word files by python-docx, turned into PDF by LibreOffice, scored rule by rule
(make check-corpus)."""
