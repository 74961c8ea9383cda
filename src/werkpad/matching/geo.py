"""Locations by 4-digit postcode centroid and a simple travel-time model per transport mode.

Centroids are projected once to kilometres on a local plane (equirectangular around the demo
region); distance is Euclidean on that plane, so both engines compute it with the same exact
IEEE operations (subtract, multiply, add, sqrt).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

LAT0 = 52.07
LON0 = 4.30
KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON = 111.320 * math.cos(math.radians(LAT0))
DETOUR = 1.3

# Transport mode -> (speed km/h, fixed minutes for walking to a stop, parking, waiting).
TRANSPORT: dict[str, tuple[float, float]] = {
    "LOPEN": (5.0, 0.0),
    "FIETS": (15.0, 2.0),
    "OV": (20.0, 10.0),
    "AUTO": (35.0, 5.0),
}
TRANSPORT_LABELS_NL: dict[str, str] = {
    "LOPEN": "lopend",
    "FIETS": "fiets",
    "OV": "ov",
    "AUTO": "auto",
}
MINUTES_PER_KM: dict[str, float] = {
    mode: 60.0 * DETOUR / speed for mode, (speed, _overhead) in TRANSPORT.items()
}
OVERHEAD_MINUTES: dict[str, float] = {mode: o for mode, (_s, o) in TRANSPORT.items()}


def postcode4(postcode: str | None) -> str | None:
    """The 4-digit part of a Dutch postcode ("2511 AB" -> "2511"), None when not usable."""
    if not postcode:
        return None
    digits = postcode.strip()[:4]
    if len(digits) == 4 and digits.isdigit() and digits[0] != "0":
        return digits
    return None


@dataclass(frozen=True)
class Centroid:
    postcode4: str
    lat: float
    lon: float
    place: str


@dataclass(frozen=True)
class Geo:
    """Projected centroids: postcode4 -> (x km, y km)."""

    xy: Mapping[str, tuple[float, float]]
    places: Mapping[str, str]

    @classmethod
    def from_centroids(cls, centroids: Iterable[Centroid]) -> Geo:
        xy: dict[str, tuple[float, float]] = {}
        places: dict[str, str] = {}
        for c in centroids:
            xy[c.postcode4] = ((c.lon - LON0) * KM_PER_DEG_LON, (c.lat - LAT0) * KM_PER_DEG_LAT)
            places[c.postcode4] = c.place
        return cls(xy=xy, places=places)

    def distance_km(self, a: str | None, b: str | None) -> float | None:
        """Straight-line distance between two postcode areas (None if either is unknown)."""
        if a is None or b is None or a not in self.xy or b not in self.xy:
            return None
        ax, ay = self.xy[a]
        bx, by = self.xy[b]
        dx = ax - bx
        dy = ay - by
        return math.sqrt(dx * dx + dy * dy)


def travel_minutes(distance_km: float, mode: str) -> float:
    return OVERHEAD_MINUTES[mode] + distance_km * MINUTES_PER_KM[mode]


def read_centroids(path: Path | None = None) -> list[Centroid]:
    """Centroids from a CSV (postcode4,lat,lon,place); the packaged demo table by default."""
    if path is None:
        ref = resources.files("werkpad.matching").joinpath("data/postcode_centroids.csv")
        text = ref.read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8-sig")
    return parse_centroids(text.splitlines())


def parse_centroids(lines: Iterable[str]) -> list[Centroid]:
    rows = csv.DictReader(lines)
    missing = {"postcode4", "lat", "lon"} - set(rows.fieldnames or [])
    if missing:
        raise ValueError(f"kolommen ontbreken: {', '.join(sorted(missing))}")
    out: list[Centroid] = []
    for n, row in enumerate(rows, start=2):
        pc = postcode4(row["postcode4"])
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError:
            raise ValueError(f"regel {n}: lat/lon is geen getal") from None
        if pc is None or not (50.0 <= lat <= 54.0 and 3.0 <= lon <= 7.5):
            raise ValueError(f"regel {n}: ongeldige postcode of coördinaat buiten Nederland")
        out.append(Centroid(pc, lat, lon, (row.get("place") or "").strip()))
    return out


def demo_geo() -> Geo:
    return Geo.from_centroids(read_centroids())
