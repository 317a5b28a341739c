"""Nearest parking lots: Redis GEO (GEOSEARCH), or a table scan when Redis is down.

The GEO key is rebuilt only when lots are added, removed or moved (a signature of the table
says so), never on occupancy updates. The rows of the lots found are kept in the process (LotView)
and read again when they are older than LOT_TTL seconds or when the lots' version in Redis
changed (an operator's free-space count, an import): a parking answer then costs one Redis round
trip and no database query. The signature costs a pass over the table, so an app's
ParkingSearch (app.extensions["parking"]) recomputes it at most every SIGNATURE_TTL seconds, or
sooner when the one stored in Redis is not the one it last saw (another process rebuilt, Redis
was flushed, an import invalidated it).
When Redis fails the answer degrades to a bounding-box query and an in-memory sort by
distance: slower, never an error.
"""

import logging
import math
import time
from dataclasses import dataclass

import redis
from sqlalchemy import func, select

from bot import geo
from bot.extensions import round_trip
from bot.models.parking import ParkingLot

log = logging.getLogger(__name__)
GEO_KEY, SIG_KEY, VERSION_KEY = "parking:geo", "parking:geo:signature", "parking:lots:version"
DEGREE_M = 111_000  # metres per degree of latitude
SIGNATURE_TTL = 10.0  # seconds a process trusts the signature it last checked
LOT_TTL = 60.0  # seconds a process reuses a lot's row while the lots' version stays the same


@dataclass(frozen=True)
class LotView:
    """What an answer shows of a lot: a copy of its row, safe to keep between requests."""

    id: int
    name: str
    address: str
    lat: float
    lng: float
    spaces: int
    schedule: str
    fee: str
    phone: str
    kind: str
    sample: bool
    free_spaces: int | None
    free_updated_at: object

    @classmethod
    def of(cls, lot):
        return cls(lot.id, lot.name, lot.address, lot.lat, lot.lng, lot.spaces, lot.schedule, lot.fee, lot.phone,
                   lot.kind, lot.sample, lot.free_spaces, lot.free_updated_at)


@dataclass
class Nearby:
    lot: LotView
    distance_m: float


class ParkingSearch:
    """An app's nearest-lot search on its Redis, with the signature it last checked."""

    def __init__(self, client):
        self.client = client
        self._checked = None  # (signature, monotonic time it was computed)
        self._version = None  # the lots' version the kept rows belong to
        self._lots = {}  # lot id -> (LotView, monotonic time it was read)

    def nearest(self, session, lat, lng, limit=3, radius_m=5000):
        """Lots within radius of (lat, lng), nearest first."""
        try:
            ids = self._geo_ids(session, lat, lng, limit, radius_m)
        except redis.RedisError:
            log.warning("Redis unavailable: parking search scans the table")
            return [Nearby(LotView.of(n.lot), n.distance_m) for n in scan(session, lat, lng, limit, radius_m)]
        lots = self._views(session, ids)
        return [Nearby(lots[i], geo.distance_m(lat, lng, lots[i].lat, lots[i].lng)) for i in ids if i in lots]

    def _views(self, session, ids):
        """The kept rows of these lots, reading the missing and the old ones in one query."""
        now = time.monotonic()
        stale = [i for i in ids if i not in self._lots or now - self._lots[i][1] > LOT_TTL]
        if stale:
            for lot in session.execute(select(ParkingLot).where(ParkingLot.id.in_(stale))).scalars():
                self._lots[lot.id] = (LotView.of(lot), now)
        return {i: self._lots[i][0] for i in ids if i in self._lots}

    def _geo_ids(self, session, lat, lng, limit, radius_m):
        """Lot ids nearest first from GEOSEARCH (one round trip), rebuilding the key if it is stale."""
        known = self._checked
        stored, version, found = round_trip(self.client, [
            ("GET", SIG_KEY), ("GET", VERSION_KEY),
            ("GEOSEARCH", GEO_KEY, "FROMLONLAT", lng, lat, "BYRADIUS", radius_m, "m", "ASC", "COUNT", limit)])
        if version != self._version:
            self._lots, self._version = {}, version
        if known is None or stored != known[0].encode() or time.monotonic() - known[1] > SIGNATURE_TTL:
            signature = _signature(session)
            if known is None or signature != known[0]:
                self._lots = {}
            self._checked = (signature, time.monotonic())
            if stored != signature.encode():
                rebuild(session, self.client, signature)
                found = self.client.geosearch(GEO_KEY, longitude=lng, latitude=lat, radius=radius_m, unit="m",
                                              sort="ASC", count=limit)
        return [int(member) for member in found]

    def changed(self):
        """A lot's row changed in place (free spaces): every process reads it again."""
        self._lots = {}
        try:
            self.client.incr(VERSION_KEY)
        except redis.RedisError:
            log.warning("Redis unavailable: other processes show the new counts within %ss", LOT_TTL)

    def invalidate(self):
        """Lots were imported or moved: recheck the signature here and, through Redis, everywhere."""
        self._checked = None
        self._lots = {}
        try:
            self.client.delete(SIG_KEY)
            self.client.incr(VERSION_KEY)
        except redis.RedisError:
            log.warning("Redis unavailable: other processes see the new lots within %ss", SIGNATURE_TTL)


def _signature(session):
    """Changes when lots are added, removed or moved (not on occupancy updates)."""
    count, lats, lngs, top = session.execute(select(
        func.count(ParkingLot.id), func.sum(ParkingLot.lat), func.sum(ParkingLot.lng), func.max(ParkingLot.id))).one()
    return f"{count}:{top}:{lats or 0:.6f}:{lngs or 0:.6f}"


def rebuild(session, client, signature=None):
    """Load every lot's position into the GEO key (in one pipeline, 1,000 per GEOADD)."""
    lots = session.execute(select(ParkingLot.id, ParkingLot.lat, ParkingLot.lng)).all()
    pipe = client.pipeline()
    pipe.delete(GEO_KEY)
    for start in range(0, len(lots), 1000):
        values = [v for lot_id, lat, lng in lots[start:start + 1000] for v in (lng, lat, lot_id)]
        pipe.geoadd(GEO_KEY, values)
    pipe.set(SIG_KEY, signature or _signature(session))
    pipe.execute()


def scan(session, lat, lng, limit=3, radius_m=5000):
    """Without Redis: lots in the bounding box from the table, sorted by distance here."""
    box = radius_m / DEGREE_M
    wide = box / max(math.cos(math.radians(lat)), 0.1)  # a degree of longitude shrinks northwards
    rows = session.execute(select(ParkingLot).where(
        ParkingLot.lat.between(lat - box, lat + box), ParkingLot.lng.between(lng - wide, lng + wide))).scalars()
    found = sorted((Nearby(lot, geo.distance_m(lat, lng, lot.lat, lot.lng)) for lot in rows), key=lambda n: n.distance_m)
    return [n for n in found if n.distance_m <= radius_m][:limit]
