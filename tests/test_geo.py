"""Coordinate conversion and distances (pure)."""

import pytest

from bot import geo


def test_known_offset_near_jiangjin():
    # GCJ-02 is shifted a few hundred metres from WGS-84 in Chongqing.
    lat, lng = geo.wgs84_to_gcj02(29.2900, 106.2500)
    shift = geo.distance_m(29.29, 106.25, lat, lng)
    assert 200 < shift < 700


@pytest.mark.parametrize("lat, lng", [(29.29, 106.25), (29.0, 105.9), (31.23, 121.47), (39.9, 116.4)])
def test_round_trip_is_centimetre_exact(lat, lng):
    back = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(lat, lng))
    assert geo.distance_m(lat, lng, *back) < 0.05


def test_outside_china_is_unchanged():
    assert geo.wgs84_to_gcj02(48.85, 2.35) == (48.85, 2.35)


def test_distance_one_degree_latitude():
    assert geo.distance_m(29.0, 106.0, 30.0, 106.0) == pytest.approx(111195, rel=1e-3)
