"""Photos: checked at upload (real type from the bytes, size, pixel count), stored through
Django's storage API, re-encoded without metadata in the worker, published by URL.

Core: may import lib, `civic311.choices` and the other core apps; never an interface.
"""
