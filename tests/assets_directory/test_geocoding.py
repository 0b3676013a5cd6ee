"""Offline, pluggable postcode geocoding: backend contract, parsing, validator, loader and check."""

import math
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from assets_directory.geocoding import (
    GeocodeResult,
    GeocoderUnavailable,
    GeocodingError,
    InvalidPostcode,
    UnknownPostcode,
    geocode,
    get_geocoder,
    load_backend,
    normalise_postcode,
    validate_postcode,
)
from assets_directory.geocoding.backends import (
    DEFAULT_OUTCODE_DATA,
    BaseGeocoder,
    OutcodeCentroidGeocoder,
    PostcodeCsvGeocoder,
)
from assets_directory.geocoding.checks import check_geocoder

SW18 = (51.4489, -0.1971)
# A point inside SW18 but well away from the outward code's centroid, so a test can tell a
# postcode-precision answer from an outcode one.
SW18_4DJ = (51.4570, -0.1930)

OUTCODE_BACKEND = "assets_directory.geocoding.backends.OutcodeCentroidGeocoder"
POSTCODE_BACKEND = "assets_directory.geocoding.backends.PostcodeCsvGeocoder"


def km_between(a, b):
    """Great-circle distance in km between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def write_csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def postcode_csv(tmp_path):
    return write_csv(
        tmp_path / "postcodes.csv",
        "postcode,latitude,longitude\n"
        f"SW18 4DJ,{SW18_4DJ[0]},{SW18_4DJ[1]}\n"
        "EC1A 1BB,51.5202,-0.0976\n",
    )


class GeocoderContract:
    """Behaviour every geocoder backend must have. Subclasses provide a ``geocoder`` fixture."""

    @pytest.fixture
    def geocoder(self) -> BaseGeocoder:
        raise NotImplementedError(f"{type(self).__name__} must provide a geocoder fixture.")

    def test_is_a_base_geocoder(self, geocoder):
        assert isinstance(geocoder, BaseGeocoder)
        assert geocoder.supports_outcodes is True

    def test_outcode_geocodes_near_known_point(self, geocoder):
        result = geocoder.geocode("SW18")

        assert isinstance(result, GeocodeResult)
        assert km_between((result.latitude, result.longitude), SW18) < 1
        assert (result.outcode, result.postcode, result.precision) == ("SW18", None, "outcode")

    def test_full_postcode_of_known_outcode(self, geocoder):
        result = geocoder.geocode("SW18 1AA")

        assert km_between((result.latitude, result.longitude), SW18) < 5
        assert (result.outcode, result.postcode) == ("SW18", "SW18 1AA")
        assert result.precision in {"outcode", "postcode"}

    @pytest.mark.parametrize("text", ["sw18 1aa", "SW181AA", "  sw18   1aa  ", "Sw181aA"])
    def test_lowercase_and_spacing_are_forgiven(self, geocoder, text):
        assert geocoder.geocode(text).postcode == "SW18 1AA"

    @pytest.mark.parametrize("text", ["", "   ", "hello", "SW18 4D", "12345", "SW1 84DJ", None])
    def test_malformed_raises_invalid_postcode(self, geocoder, text):
        with pytest.raises(InvalidPostcode) as caught:
            geocoder.geocode(text)
        assert caught.value.message == (
            "Enter a full postcode, like SW18 4DJ, or the first part, like SW18."
        )

    @pytest.mark.parametrize(
        ("text", "label"), [("SW99", "SW99"), ("xx9 9xx", "XX9 9XX"), ("GIR 0AA", "GIR 0AA")]
    )
    def test_unknown_outcode_raises_unknown_postcode(self, geocoder, text, label):
        with pytest.raises(UnknownPostcode) as caught:
            geocoder.geocode(text)
        assert caught.value.message == (
            f"We could not find {label} on our map. Check it and try again."
        )
        assert isinstance(caught.value, GeocodingError)
        assert isinstance(caught.value, ValueError)

    def test_label_is_what_the_person_asked_for(self, geocoder):
        assert geocoder.geocode("sw18").label == "SW18"
        assert geocoder.geocode("sw181aa").label == "SW18 1AA"

    def test_result_is_immutable(self, geocoder):
        result = geocoder.geocode("SW18")
        with pytest.raises(AttributeError):
            result.latitude = 0.0

    def test_check_passes_with_good_data(self, geocoder):
        assert geocoder.check() == []


class TestOutcodeCentroidGeocoder(GeocoderContract):
    @pytest.fixture
    def geocoder(self):
        return OutcodeCentroidGeocoder()

    def test_full_postcode_uses_outcode_centroid(self, geocoder):
        result = geocoder.geocode("SW18 4DJ")

        assert (result.latitude, result.longitude) == SW18
        assert result.precision == "outcode"
        assert geocoder.supports_full_postcodes is False

    def test_ships_default_data(self):
        assert OutcodeCentroidGeocoder().data_path == DEFAULT_OUTCODE_DATA
        assert DEFAULT_OUTCODE_DATA.is_file()
        assert (DEFAULT_OUTCODE_DATA.parent / "ATTRIBUTION.md").is_file()
        assert not (DEFAULT_OUTCODE_DATA.parent / "geonames_GB.txt").exists()

    def test_custom_data_path(self, tmp_path):
        path = write_csv(tmp_path / "o.csv", "outcode,latitude,longitude\nSW18,50.0,-1.0\n")

        result = OutcodeCentroidGeocoder(data_path=str(path)).geocode("SW18")

        assert (result.latitude, result.longitude) == (50.0, -1.0)

    def test_loads_data_lazily_and_once_across_threads(self, monkeypatch):
        geocoder = OutcodeCentroidGeocoder()
        assert not geocoder.table.loaded
        reads = []
        real_read = type(geocoder.table)._read
        start = threading.Barrier(8)

        def counting_read(table):
            reads.append(1)
            return real_read(table)

        monkeypatch.setattr(type(geocoder.table), "_read", counting_read)

        def work():
            start.wait()
            geocoder.geocode("SW18")

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert len(reads) == 1
        assert geocoder.table.loaded

    def test_missing_data_file_is_unavailable_not_a_crash(self, tmp_path):
        geocoder = OutcodeCentroidGeocoder(data_path=tmp_path / "missing.csv")

        with pytest.raises(GeocoderUnavailable) as caught:
            geocoder.geocode("SW18")
        assert "try again later" in caught.value.message
        assert "missing.csv" not in caught.value.message
        assert "does not exist" in geocoder.check()[0]

    @pytest.mark.parametrize(
        ("content", "problem"),
        [
            ("", "is empty"),
            ("code,latitude,longitude\nSW18,51,0\n", "no outcode column"),
            ("outcode,latitude,longitude\nSW18,north,0\n", "line 2: bad latitude or longitude"),
            ("outcode,latitude,longitude\nSW18,nan,0\n", "line 2: bad latitude or longitude"),
            ("outcode,latitude,longitude\nNOT AN OUTCODE,51,0\n", "line 2: bad key"),
            ("outcode,latitude,longitude\nSW18\n", "line 2: too few columns"),
            ("outcode,latitude,longitude\n", "no usable rows"),
        ],
    )
    def test_check_reports_malformed_data(self, tmp_path, content, problem):
        path = write_csv(tmp_path / "bad.csv", content)

        problems = OutcodeCentroidGeocoder(data_path=path).check()

        assert len(problems) == 1
        assert problem in problems[0]


class TestPostcodeCsvGeocoder(GeocoderContract):
    @pytest.fixture
    def geocoder(self, postcode_csv):
        return PostcodeCsvGeocoder(data_path=postcode_csv)

    def test_known_full_postcode_is_precise(self, geocoder):
        result = geocoder.geocode("sw184dj")

        assert (result.latitude, result.longitude) == SW18_4DJ
        assert result.precision == "postcode"
        assert (result.outcode, result.postcode, result.label) == ("SW18", "SW18 4DJ", "SW18 4DJ")
        assert geocoder.supports_full_postcodes is True

    def test_unknown_full_postcode_falls_back_to_outcode(self, geocoder):
        result = geocoder.geocode("SW18 9ZZ")

        assert (result.latitude, result.longitude) == SW18
        assert result.precision == "outcode"
        assert result.postcode == "SW18 9ZZ"

    def test_without_fallback_unknown_full_postcode_is_unknown(self, postcode_csv):
        geocoder = PostcodeCsvGeocoder(data_path=postcode_csv, fallback_to_outcode=False)

        with pytest.raises(UnknownPostcode, match="SW18 9ZZ"):
            geocoder.geocode("SW18 9ZZ")
        assert geocoder.geocode("SW18").precision == "outcode"

    def test_reads_ons_postcode_directory_columns(self, tmp_path):
        path = write_csv(
            tmp_path / "onspd.csv",
            "\ufeffpcd,pcds,doterm,lat,long\n"
            f"SW184DJ,SW18 4DJ,,{SW18_4DJ[0]},{SW18_4DJ[1]}\n"
            # The ONS directory's marker for a postcode with no grid reference.
            "SW189ZZ,SW18 9ZZ,,99.999999,0.000000\n",
        )
        geocoder = PostcodeCsvGeocoder(data_path=path)

        assert geocoder.geocode("SW18 4DJ").precision == "postcode"
        assert geocoder.geocode("SW18 9ZZ").precision == "outcode"
        assert geocoder.check() == []

    def test_custom_outcode_data(self, postcode_csv, tmp_path):
        outcodes = write_csv(tmp_path / "o.csv", "outcode,lat,long\nSW18,50.0,-1.0\n")
        geocoder = PostcodeCsvGeocoder(data_path=postcode_csv, data_path_outcodes=outcodes)

        assert (geocoder.geocode("SW18 9ZZ").latitude, geocoder.geocode("SW18").latitude) == (
            50.0,
            50.0,
        )

    def test_data_path_is_required(self):
        with pytest.raises(ImproperlyConfigured, match="data_path"):
            PostcodeCsvGeocoder()

    def test_check_reports_missing_postcode_column(self, tmp_path):
        path = write_csv(tmp_path / "p.csv", "code,latitude,longitude\nSW18 4DJ,51,0\n")

        (problem,) = PostcodeCsvGeocoder(data_path=path).check()

        assert "no postcode or pcds or pcd or pcd2 column" in problem


class TestNormalisePostcode:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("SW18 4DJ", ("SW18", "SW18 4DJ")),
            ("sw184dj", ("SW18", "SW18 4DJ")),
            ("  sw18    4dj ", ("SW18", "SW18 4DJ")),
            ("SW18\u00a04DJ", ("SW18", "SW18 4DJ")),
            ("sw18", ("SW18", None)),
            (" SW18 ", ("SW18", None)),
            ("\tSW18 4DJ" + " " * 40, ("SW18", "SW18 4DJ")),
            ("M1 1AA", ("M1", "M1 1AA")),
            ("M11AA", ("M1", "M1 1AA")),
            ("B33 8TH", ("B33", "B33 8TH")),
            ("CR2 6XH", ("CR2", "CR2 6XH")),
            ("DN55 1PT", ("DN55", "DN55 1PT")),
            ("W1A 0AX", ("W1A", "W1A 0AX")),
            ("w1a0ax", ("W1A", "W1A 0AX")),
            ("EC1A 1BB", ("EC1A", "EC1A 1BB")),
            ("ec1a", ("EC1A", None)),
            ("BT1 1AA", ("BT1", "BT1 1AA")),
            ("GIR 0AA", ("GIR", "GIR 0AA")),
            ("gir0aa", ("GIR", "GIR 0AA")),
        ],
    )
    def test_valid(self, text, expected):
        assert normalise_postcode(text) == expected

    @pytest.mark.parametrize(
        "text",
        [
            "",
            "  ",
            "SW18-4DJ",
            "SW18 4D",
            "SW18 44DJ",
            "S W18 4DJ",
            "SW1 84DJ",
            "4DJ",
            "SWW18",
            "QI1 1AA",  # second letter I is never used
            "GIR",
            "SW18 4DJ X",
            "A" * 100,
            None,
            18,
        ],
    )
    def test_invalid(self, text):
        with pytest.raises(InvalidPostcode) as caught:
            normalise_postcode(text)
        assert caught.value.code == "invalid_postcode"
        assert caught.value.query == text


class TestValidatePostcode:
    @pytest.fixture(autouse=True)
    def default_backend(self, settings):
        settings.GEOCODER = {"BACKEND": OUTCODE_BACKEND, "OPTIONS": {}}

    def test_accepts_known_postcodes(self):
        assert validate_postcode("sw18 4dj") is None
        assert validate_postcode("SW18") is None

    @pytest.mark.parametrize(
        ("value", "code", "message"),
        [
            (
                "not a postcode",
                "invalid_postcode",
                "Enter a full postcode, like SW18 4DJ, or the first part, like SW18.",
            ),
            (
                "sw99",
                "unknown_postcode",
                "We could not find SW99 on our map. Check it and try again.",
            ),
        ],
    )
    def test_rejects_with_public_message_and_code(self, value, code, message):
        with pytest.raises(ValidationError) as caught:
            validate_postcode(value)
        assert caught.value.code == code
        assert caught.value.messages == [message]

    def test_broken_data_is_a_field_error_not_a_500(self, settings, tmp_path):
        settings.GEOCODER = {
            "BACKEND": OUTCODE_BACKEND,
            "OPTIONS": {"data_path": str(tmp_path / "missing.csv")},
        }

        with pytest.raises(ValidationError) as caught:
            validate_postcode("SW18")
        assert caught.value.code == "geocoder_unavailable"

    def test_form_shows_field_error(self):
        from django import forms

        class PostcodeForm(forms.Form):
            postcode = forms.CharField(validators=[validate_postcode])

        form = PostcodeForm(data={"postcode": "SW99"})

        assert not form.is_valid()
        assert form.errors["postcode"] == [
            "We could not find SW99 on our map. Check it and try again."
        ]


class TestLoadBackend:
    def test_loads_with_options(self, tmp_path):
        geocoder = load_backend(OUTCODE_BACKEND, {"data_path": str(tmp_path / "x.csv")})

        assert isinstance(geocoder, OutcodeCentroidGeocoder)
        assert geocoder.data_path == tmp_path / "x.csv"

    @pytest.mark.parametrize(
        ("path", "options", "match"),
        [
            ("no_such_module.Geocoder", {}, "Could not import geocoder backend"),
            ("assets_directory.geocoding.backends.Missing", {}, "Could not import"),
            ("datetime.datetime", {}, "not a subclass of"),
            ("assets_directory.geocoding.backends.logger", {}, "not a subclass of"),
            ("", {}, "dotted path"),
            (OUTCODE_BACKEND, {"data_pth": "x.csv"}, r"does not accept the options \['data_pth'\]"),
            (OUTCODE_BACKEND, ["data_path"], "must be a dict"),
            (POSTCODE_BACKEND, {}, "data_path"),
        ],
    )
    def test_improperly_configured(self, path, options, match):
        with pytest.raises(ImproperlyConfigured, match=match):
            load_backend(path, options)

    def test_relative_data_path_is_from_base_dir(self, settings):
        geocoder = load_backend(OUTCODE_BACKEND, {"data_path": "var/outcodes.csv"})

        assert geocoder.data_path == settings.BASE_DIR / "var" / "outcodes.csv"


class TestBaseGeocoder:
    def test_geocode_must_be_implemented(self):
        class HalfDone(BaseGeocoder):
            """A backend that forgot geocode()."""

        with pytest.raises(NotImplementedError, match=r"HalfDone must implement geocode\(query\)"):
            HalfDone().geocode("SW18")

    def test_defaults(self):
        geocoder = BaseGeocoder(colour="blue")

        assert geocoder.options == {"colour": "blue"}
        assert geocoder.check() == []
        assert (BaseGeocoder.supports_full_postcodes, BaseGeocoder.supports_outcodes) == (
            False,
            True,
        )


class FixedPointGeocoder(BaseGeocoder):
    """A stand-in backend that puts every postcode in the same place."""

    def geocode(self, query):
        outcode, postcode = normalise_postcode(query)
        return GeocodeResult(1.0, 2.0, outcode, postcode, "outcode", postcode or outcode)


class BrokenCheckGeocoder(FixedPointGeocoder):
    def check(self):
        raise RuntimeError("boom")


class TestConfiguredGeocoder:
    def test_default_setting_uses_outcode_centroids(self, settings):
        settings.GEOCODER = {"BACKEND": OUTCODE_BACKEND, "OPTIONS": {}}

        assert isinstance(get_geocoder(), OutcodeCentroidGeocoder)
        assert get_geocoder() is get_geocoder()
        assert geocode("SW18").label == "SW18"

    def test_settings_override_picks_another_backend(self, settings):
        settings.GEOCODER = {"BACKEND": OUTCODE_BACKEND, "OPTIONS": {}}
        before = get_geocoder()

        settings.GEOCODER = {"BACKEND": f"{__name__}.FixedPointGeocoder", "OPTIONS": {}}

        assert isinstance(get_geocoder(), FixedPointGeocoder)
        assert get_geocoder() is not before
        assert (geocode("sw18 4dj").latitude, geocode("SW18").longitude) == (1.0, 2.0)

    def test_settings_override_with_postcode_data(self, settings, postcode_csv):
        settings.GEOCODER = {"BACKEND": POSTCODE_BACKEND, "OPTIONS": {"data_path": postcode_csv}}

        assert geocode("SW18 4DJ").precision == "postcode"


class TestCheckGeocoder:
    def test_no_errors_for_working_setup(self, settings):
        settings.GEOCODER = {"BACKEND": OUTCODE_BACKEND, "OPTIONS": {}}

        assert check_geocoder(None) == []

    def test_reports_missing_data_file(self, settings, tmp_path):
        missing = tmp_path / "gone.csv"
        settings.GEOCODER = {"BACKEND": OUTCODE_BACKEND, "OPTIONS": {"data_path": str(missing)}}

        (error,) = check_geocoder(None)

        assert error.id == "assets_directory.E001"
        assert str(missing) in error.msg
        assert "does not exist" in error.msg

    def test_reports_missing_postcode_file(self, settings, tmp_path):
        settings.GEOCODER = {
            "BACKEND": POSTCODE_BACKEND,
            "OPTIONS": {"data_path": str(tmp_path / "onspd.csv")},
        }

        (error,) = check_geocoder(None)

        assert error.id == "assets_directory.E001"
        assert "onspd.csv does not exist" in error.msg

    def test_reports_backend_that_cannot_be_loaded(self, settings):
        settings.GEOCODER = {"BACKEND": "no_such_module.Geocoder", "OPTIONS": {}}

        (error,) = check_geocoder(None)

        assert error.id == "assets_directory.E001"
        assert "Could not import geocoder backend" in error.msg

    def test_reports_malformed_setting(self, settings):
        settings.GEOCODER = "assets_directory.geocoding.backends.OutcodeCentroidGeocoder"

        (error,) = check_geocoder(None)

        assert error.id == "assets_directory.E001"

    def test_reports_crashing_backend_check(self, settings):
        settings.GEOCODER = {"BACKEND": f"{__name__}.BrokenCheckGeocoder", "OPTIONS": {}}

        (error,) = check_geocoder(None)

        assert "boom" in error.msg


def test_nearest_outcode_names_the_district_around_a_point():
    from assets_directory.geocoding import nearest_outcode

    assert nearest_outcode(51.4489, -0.1971) == "SW18"
    assert nearest_outcode(51.4307, -0.1647) == "SW17"


def test_nearest_outcode_is_the_nearest_point_of_the_table_on_a_flat_projection():
    import random

    geocoder = OutcodeCentroidGeocoder()
    points = geocoder.table.load()
    rng = random.Random(7)
    for _ in range(200):
        lat, lng = rng.uniform(50, 55.8), rng.uniform(-5.5, 1.7)
        scale = math.cos(math.radians(lat)) ** 2
        nearest = min(
            points,
            key=lambda code: (points[code][0] - lat) ** 2 + scale * (points[code][1] - lng) ** 2,
        )
        assert geocoder.nearest_outcode(lat, lng) == nearest


def test_nearest_outcode_reads_a_table_that_changed(tmp_path):
    path = tmp_path / "outcodes.csv"
    path.write_text("outcode,latitude,longitude\nAA1,51.0,-1.0\nBB2,52.0,-1.0\n")
    geocoder = OutcodeCentroidGeocoder(data_path=path)
    assert geocoder.nearest_outcode(51.9, -1.0) == "BB2"

    path.write_text("outcode,latitude,longitude\nAA1,51.0,-1.0\nCC3,51.8,-1.0\n")
    geocoder.table = type(geocoder.table)(path, key_columns=("outcode",), key_func=str.upper)

    assert geocoder.nearest_outcode(51.85, -1.0) == "CC3"
