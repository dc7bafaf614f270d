"""Project-wide management commands: `serve` (the production stack for `make run`).

Site: may import any layer.
"""
