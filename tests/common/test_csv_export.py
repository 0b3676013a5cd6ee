"""CSV downloads: a spreadsheet never runs a cell as a formula."""

import pytest

from common.csv_export import csv_response, safe_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+44 20", "'+44 20"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("Knit & natter", "Knit & natter"),
        (-3, -3),
        (2.5, 2.5),
        (None, ""),
        (True, "yes"),
    ],
)
def test_cells_that_start_a_formula_are_written_as_text(value, written):
    assert safe_cell(value) == written


def test_a_csv_response_is_an_attachment_excel_reads_as_utf8():
    response = csv_response("x.csv", ["Name", "Score"], [["Café =1", 3]])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content.decode("utf-8").splitlines() == ["\ufeffName,Score", "Café =1,3"]
