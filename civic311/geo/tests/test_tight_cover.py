"""tight_cover: every point within the radius lies in one of the few cells it returns."""

from __future__ import annotations

import math
import random

import h3
import pytest

from civic311.geo.cells import disk, tight_cover


def test_every_point_within_the_radius_is_in_a_returned_cell() -> None:
    rng = random.Random(311)
    for _ in range(300):
        lat, long = 41.85 + rng.random() * 0.1, -87.7 + rng.random() * 0.1
        radius = rng.choice([10.0, 30.0, 100.0, 150.0])
        cover = set(tight_cover(lat, long, radius))
        assert len(cover) < len(disk(lat, long, radius).cells)
        for _ in range(20):
            bearing, distance = rng.random() * 2 * math.pi, radius * math.sqrt(rng.random())
            d_lat = distance * math.cos(bearing) / 111_320
            d_long = distance * math.sin(bearing) / (111_320 * math.cos(math.radians(lat)))
            assert h3.latlng_to_cell(lat + d_lat, long + d_long, 9) in cover


def test_a_radius_beyond_one_ring_is_refused() -> None:
    with pytest.raises(ValueError, match="at most"):
        tight_cover(41.88, -87.63, 500)
