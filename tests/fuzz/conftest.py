"""The atheris harness is a script run by test_atheris.py, not a test module: pytest
(with --doctest-modules) must not import it."""

collect_ignore = ["atheris_harness.py"]
