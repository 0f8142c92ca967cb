"""Answer composition, one module per step (DESIGN.md): each step takes what the previous one
produced and returns a value the next can read; the pipeline runs them in order."""
