"""Speed and memory benchmarks (`make bench`): numbers and ratios, never pass/fail unit tests."""
