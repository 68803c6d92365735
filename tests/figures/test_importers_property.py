"""Property test: whatever text or bytes arrive, the importer answers only with ImportRefused."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vitrine.figures.importers import ImportFrame, ImportRefused, read_import

HEADERS = [
    b"product,device_or_user,last_used\n",
    "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n".encode(),
    b"Name,Seats,Licenses available,Purchase Cost,Expiration Date\n",
]


def _only_refusals(data: bytes, filename: str) -> None:
    try:
        result = read_import(data, filename=filename)
    except ImportRefused as error:
        assert error.problems and error.total >= len(error.problems)
    else:
        assert isinstance(result, ImportFrame) and result.row_count > 0


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.binary(max_size=300), st.sampled_from(["x.csv", "x.xlsx", "x.txt"]))
def test_random_bytes_only_refused(data, filename):
    _only_refusals(data, filename)


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.sampled_from(HEADERS), st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_random_rows_after_a_known_header_only_refused(header, body):
    _only_refusals(header + body.encode(), "x.csv")
