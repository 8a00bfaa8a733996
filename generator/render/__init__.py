"""Word rendering: markdown-it tokens -> WordprocessingML, OOXML helpers, the docxtpl template filled."""
