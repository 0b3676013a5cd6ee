"""Geocoder backends.

A backend turns a postcode into a ``GeocodeResult``. Choose one with ``settings.GEOCODER``::

    GEOCODER = {
        "BACKEND": "assets_directory.geocoding.backends.OutcodeCentroidGeocoder",
        "OPTIONS": {},  # passed to the backend as keyword arguments
    }

Write your own by subclassing ``BaseGeocoder`` and implementing ``geocode()``.
"""

from __future__ import annotations

import csv
import logging
import math
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .exceptions import GeocoderUnavailable, UnknownPostcode
from .postcodes import is_outcode, normalise_postcode
from .results import GeocodeResult

logger = logging.getLogger(__name__)

DEFAULT_OUTCODE_DATA = (
    Path(__file__).resolve().parent.parent / "data" / "geo" / "gb_outcode_centroids.csv"
)

# Header names accepted for each column, compared case-insensitively. The short forms are the
# ONS Postcode Directory's, so an extract of it can be used without renaming columns.
POSTCODE_COLUMNS = ("postcode", "pcds", "pcd", "pcd2")
OUTCODE_COLUMNS = ("outcode",)
LATITUDE_COLUMNS = ("latitude", "lat")
LONGITUDE_COLUMNS = ("longitude", "long", "lon", "lng")


class BaseGeocoder:
    """Base class for geocoder backends.

    Subclasses implement ``geocode()``, may override ``check()``, and set the capability flags:

    ``supports_full_postcodes``
        ``True`` if a full postcode can be placed more precisely than its outward code.
    ``supports_outcodes``
        ``True`` if an outward code on its own (``"SW18"``) can be geocoded.
    ``supports_nearest_outcode``
        ``True`` if ``nearest_outcode()`` can name the outward code around a point.

    Options from ``settings.GEOCODER["OPTIONS"]`` arrive as keyword arguments. Subclasses
    should name the options they accept, so that a misspelt option is an error rather than
    silently ignored.
    """

    supports_full_postcodes = False
    supports_outcodes = True
    supports_nearest_outcode = False

    def __init__(self, **options):
        self.options = options

    def nearest_outcode(self, latitude: float, longitude: float) -> str | None:
        """The outward code whose point is nearest, for anonymous statistics by area."""
        raise NotImplementedError(
            f"{type(self).__name__} does not implement nearest_outcode(latitude, longitude); "
            "check supports_nearest_outcode first."
        )

    def geocode(self, query: str) -> GeocodeResult:
        """Return the point for a postcode or outward code typed by a person.

        Raises ``InvalidPostcode`` if ``query`` is not a postcode, ``UnknownPostcode`` if it
        is one but cannot be placed, and ``GeocoderUnavailable`` if the backend cannot answer
        at all (missing data, service down).
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement geocode(query) to return a GeocodeResult, "
            "raising InvalidPostcode, UnknownPostcode or GeocoderUnavailable when it cannot."
        )

    def check(self) -> list[str]:
        """Return problems that would stop this backend working (empty if none).

        Called by the ``assets_directory.E001`` system check, so it should be cheap: confirm
        that data is present and readable rather than load all of it.
        """
        return []

    def __repr__(self):
        return f"<{type(self).__name__} {self.options!r}>"


def resolve_data_path(path: str | Path | None, default: Path | None = None) -> Path | None:
    """Turn a configured data path into an absolute ``Path``.

    Relative paths are taken from ``settings.BASE_DIR`` (if set) so that the web server, the
    task worker and management commands read the same file whatever their working directory.
    """
    if path is None or path == "":
        return default
    resolved = Path(path).expanduser()
    if not resolved.is_absolute():
        base_dir = getattr(settings, "BASE_DIR", None) if settings.configured else None
        resolved = Path(base_dir or Path.cwd()) / resolved
    return resolved


class DataFileError(Exception):
    """A data file is missing, unreadable or malformed (a deployment problem, not user error)."""


class PointTable:
    """A CSV of ``key, latitude, longitude`` rows, read lazily once and shared between threads.

    ``key_columns`` are the accepted header names for the key; ``key_func`` turns a cell into
    the lookup key, returning ``None`` to reject it. With ``skip_unlocated``, rows without
    usable coordinates are skipped (the ONS directory marks postcodes with no grid reference
    with latitude 99.999999) instead of making the whole file invalid.
    """

    def __init__(
        self,
        path: Path,
        *,
        key_columns: Iterable[str],
        key_func: Callable[[str], str | None],
        skip_unlocated: bool = False,
    ):
        self.path = path
        self.key_columns = tuple(key_columns)
        self.key_func = key_func
        self.skip_unlocated = skip_unlocated
        self._points: dict[str, tuple[float, float]] | None = None
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[float, float] | None:
        """The point for ``key``, loading the file on first use. Raises ``DataFileError``."""
        return self.load().get(key)

    def load(self) -> dict[str, tuple[float, float]]:
        """All points, read from disk the first time only. Raises ``DataFileError``."""
        points = self._points
        if points is None:
            with self._lock:
                # Another thread may have finished loading while this one waited.
                if self._points is None:
                    self._points = self._read()
                points = self._points
        return points

    @property
    def loaded(self) -> bool:
        return self._points is not None

    def problems(self, *, read_all: bool) -> list[str]:
        """Describe what is wrong with the file: ``read_all`` parses every row, else the header."""
        try:
            if read_all:
                self.load()
            else:
                with self._open() as handle:
                    self._columns(csv.reader(handle))
        except DataFileError as exc:
            return [str(exc)]
        return []

    def _open(self):
        try:
            return self.path.open(newline="", encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise DataFileError(f"Geocoder data file {self.path} does not exist.") from exc
        except OSError as exc:
            raise self._unreadable(exc) from exc

    def _unreadable(self, exc: Exception) -> DataFileError:
        return DataFileError(f"Geocoder data file {self.path} cannot be read: {exc}")

    def _columns(self, reader) -> tuple[int, int, int]:
        try:
            header = next(reader)
        except StopIteration:
            raise DataFileError(f"Geocoder data file {self.path} is empty.") from None
        except (csv.Error, UnicodeDecodeError, OSError) as exc:
            raise self._unreadable(exc) from exc
        names = [name.strip().lower() for name in header]

        def find(aliases: tuple[str, ...]) -> int:
            for alias in aliases:
                if alias in names:
                    return names.index(alias)
            raise DataFileError(
                f"Geocoder data file {self.path} has no {' or '.join(aliases)} column "
                f"(its header is: {', '.join(header)})."
            )

        return find(self.key_columns), find(LATITUDE_COLUMNS), find(LONGITUDE_COLUMNS)

    def _read(self) -> dict[str, tuple[float, float]]:
        points: dict[str, tuple[float, float]] = {}
        skipped = 0
        with self._open() as handle:
            reader = csv.reader(handle)
            key_at, lat_at, lon_at = self._columns(reader)
            try:
                for row in reader:
                    if not any(cell.strip() for cell in row):
                        continue
                    where = f"{self.path}, line {reader.line_num}"
                    try:
                        raw_key, raw_lat, raw_lon = row[key_at], row[lat_at], row[lon_at]
                    except IndexError:
                        raise DataFileError(f"{where}: too few columns.") from None
                    key = self.key_func(raw_key)
                    point = _parse_point(raw_lat, raw_lon)
                    if key is None or point is None:
                        if self.skip_unlocated:
                            skipped += 1
                            continue
                        problem = "bad key" if key is None else "bad latitude or longitude"
                        raise DataFileError(f"{where}: {problem} in {row!r}.")
                    points[key] = point
            except (csv.Error, UnicodeDecodeError, OSError) as exc:
                raise self._unreadable(exc) from exc
        if not points:
            raise DataFileError(f"Geocoder data file {self.path} has no usable rows.")
        logger.debug("Loaded %d points from %s (%d rows skipped).", len(points), self.path, skipped)
        return points


def _parse_point(raw_lat: str, raw_lon: str) -> tuple[float, float] | None:
    try:
        lat, lon = float(raw_lat), float(raw_lon)
    except ValueError:
        return None
    # float() accepts "nan" and "inf"; the range test also rejects the ONS placeholder.
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _outcode_key(cell: str) -> str | None:
    key = cell.strip().upper()
    return key if is_outcode(key) else None


def _postcode_key(cell: str) -> str | None:
    # Compact form (no spaces) matches every ONS layout: pcds "SW18 4DJ", pcd "SW184DJ".
    key = "".join(cell.split()).upper()
    return key or None


def _unavailable(geocoder: BaseGeocoder, exc: DataFileError) -> GeocoderUnavailable:
    logger.error("Geocoder %r cannot load its data: %s", geocoder, exc)
    return GeocoderUnavailable()


class OutcodeCentroidGeocoder(BaseGeocoder):
    """Offline geocoder that places a postcode at the centre of its outward code.

    Reads a CSV with ``outcode,latitude,longitude`` columns (default: the shipped GeoNames
    file, see ``assets_directory/data/geo/ATTRIBUTION.md``). A full postcode is accepted and
    placed at its outward code's point, with ``precision="outcode"``; accuracy is a few km.

    Options: ``data_path`` (absolute, or relative to ``BASE_DIR``).
    """

    supports_full_postcodes = False
    supports_outcodes = True
    supports_nearest_outcode = True

    def __init__(self, *, data_path: str | Path | None = None):
        super().__init__(data_path=data_path)
        self.data_path = resolve_data_path(data_path, DEFAULT_OUTCODE_DATA)
        self.table = PointTable(self.data_path, key_columns=OUTCODE_COLUMNS, key_func=_outcode_key)

    def geocode(self, query: str) -> GeocodeResult:
        outcode, postcode = normalise_postcode(query)
        label = postcode or outcode
        point = self.outcode_point(outcode)
        if point is None:
            raise UnknownPostcode(label)
        return GeocodeResult(
            latitude=point[0],
            longitude=point[1],
            outcode=outcode,
            postcode=postcode,
            precision="outcode",
            label=label,
        )

    def outcode_point(self, outcode: str) -> tuple[float, float] | None:
        """The ``(latitude, longitude)`` of a normalised outward code, or ``None`` if unknown.

        Raises ``GeocoderUnavailable`` if the data cannot be loaded.
        """
        try:
            return self.table.get(outcode)
        except DataFileError as exc:
            raise _unavailable(self, exc) from exc

    def nearest_outcode(self, latitude: float, longitude: float) -> str | None:
        # About 3,000 points: one vectorised scan takes tens of microseconds (all of England's
        # 33,755 small areas are placed in about a second), no spatial index needed.
        try:
            points = self.table.load()
        except DataFileError as exc:
            raise _unavailable(self, exc) from exc
        if not points:
            return None
        codes, lats, lngs = self._columns(points)
        scale = math.cos(math.radians(latitude)) ** 2
        distances = (lats - latitude) ** 2 + scale * (lngs - longitude) ** 2
        return codes[int(np.argmin(distances))]  # the first of equals, in the file's order

    def _columns(self, points: dict) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The points as columns, made once for each load of the table."""
        cached = getattr(self, "_columns_of", None)
        if cached is None or cached[0] is not points:
            cached = (
                points,
                list(points),
                np.array([p[0] for p in points.values()], dtype=np.float64),
                np.array([p[1] for p in points.values()], dtype=np.float64),
            )
            self._columns_of = cached
        return cached[1], cached[2], cached[3]

    def check(self) -> list[str]:
        # The file is small (about 3,000 rows) and will be needed anyway, so parse all of it.
        return self.table.problems(read_all=True)


class PostcodeCsvGeocoder(BaseGeocoder):
    """Offline geocoder for deployments with full-postcode data.

    Reads a CSV with ``postcode,latitude,longitude`` columns; the ONS Postcode Directory names
    ``pcds``/``pcd``, ``lat`` and ``long`` are accepted too, and rows without coordinates
    (ONS latitude 99.999999) are skipped. A known full postcode gets its own point
    (``precision="postcode"``). Outward codes on their own, and full postcodes missing from
    the file when ``fallback_to_outcode`` is true, are placed by an ``OutcodeCentroidGeocoder``
    over ``data_path_outcodes`` (default: the shipped outcode file).

    The whole file is held in memory per process, roughly 250 bytes a postcode: extract the
    area the service covers rather than loading the national directory.

    Options: ``data_path`` (required), ``fallback_to_outcode`` (default ``True``),
    ``data_path_outcodes``.
    """

    supports_full_postcodes = True
    supports_outcodes = True
    supports_nearest_outcode = True

    def __init__(
        self,
        *,
        data_path: str | Path | None = None,
        fallback_to_outcode: bool = True,
        data_path_outcodes: str | Path | None = None,
    ):
        if not data_path:
            raise ImproperlyConfigured(
                "PostcodeCsvGeocoder needs a CSV of full postcodes: set "
                'GEOCODER["OPTIONS"]["data_path"] (or the GEOCODER_DATA_PATH environment '
                "variable)."
            )
        super().__init__(
            data_path=data_path,
            fallback_to_outcode=fallback_to_outcode,
            data_path_outcodes=data_path_outcodes,
        )
        self.data_path = resolve_data_path(data_path)
        self.fallback_to_outcode = fallback_to_outcode
        self.table = PointTable(
            self.data_path,
            key_columns=POSTCODE_COLUMNS,
            key_func=_postcode_key,
            skip_unlocated=True,
        )
        self.outcodes = OutcodeCentroidGeocoder(data_path=data_path_outcodes)

    def nearest_outcode(self, latitude: float, longitude: float) -> str | None:
        return self.outcodes.nearest_outcode(latitude, longitude)

    def geocode(self, query: str) -> GeocodeResult:
        outcode, postcode = normalise_postcode(query)
        if postcode is None:
            return self.outcodes.geocode(outcode)
        try:
            point = self.table.get(postcode.replace(" ", ""))
        except DataFileError as exc:
            raise _unavailable(self, exc) from exc
        if point is not None:
            return GeocodeResult(
                latitude=point[0],
                longitude=point[1],
                outcode=outcode,
                postcode=postcode,
                precision="postcode",
                label=postcode,
            )
        if not self.fallback_to_outcode:
            raise UnknownPostcode(postcode)
        return self.outcodes.geocode(postcode)

    def check(self) -> list[str]:
        # Only the header: a national extract takes seconds to parse, and checks run on every
        # management command.
        return self.table.problems(read_all=False) + self.outcodes.check()
