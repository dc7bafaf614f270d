"""Database backends of our own: SQLite with writers that queue on a file lock (sqlite/).

Outside the layers: imported by Django through settings.DATABASES only.
"""
