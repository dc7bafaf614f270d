"""The demo city (Chicago): its real service names, boundaries and address points, demo staff,
and sample history replayed through the core's actions. Loaded by `make run`.

Site: may import any layer below it (the core, lib); nothing imports it but the tests.
"""
