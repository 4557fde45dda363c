# `python -m graph` runs the CLI on import: keep doctest collection away from it.
collect_ignore = ["graph/__main__.py"]
