"""What the project reads: located YAML, instances, referentials, legal registry, rules, clauses, workbooks."""
