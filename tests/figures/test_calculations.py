"""Figure calculations on small hand-made frames, with exact expected numbers."""

from datetime import date, datetime
from decimal import Decimal

import polars as pl

from vitrine.figures import calculations as calc

PRICE = pl.Decimal(18, 4)


def entitlement_rows() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "product": ["Visio Plan 2", "Visio Plan 2", "Acrobat Pro", "Project"],
            "quantity": [10, 5, 3, 2],
            "unit_price": [Decimal("10"), Decimal("20"), None, Decimal("100")],
            "currency": ["EUR", None, None, "EUR"],
            "end_date": [date(2026, 12, 31), date(2027, 5, 1), date(2026, 1, 1), date(2027, 10, 1)],
        },
        schema_overrides={"unit_price": PRICE},
    )


def test_entitlements_per_product_weights_the_price_by_quantity():
    rows = calc.entitlements_per_product(entitlement_rows()).to_dicts()
    assert rows == [
        {"product": "Acrobat Pro", "entitled": 3, "unit_price": None, "currency": None},
        {"product": "Project", "entitled": 2, "unit_price": 100.0, "currency": "EUR"},
        {
            "product": "Visio Plan 2",
            "entitled": 15,
            "unit_price": Decimal("13.33"),
            "currency": "EUR",
        },
    ]


def positions() -> pl.DataFrame:
    entitlements = calc.entitlements_per_product(entitlement_rows())
    consumption = pl.DataFrame(
        {"product": ["visio plan 2", "Teams", "Project"], "total": [20, 4, 1]},
    ).with_columns(used_90_days=pl.Series([12, None, 1], dtype=pl.Int64))
    return calc.license_position(entitlements, consumption)


def test_license_position_status_and_costs():
    table = {row["product"]: row for row in positions().iter_rows(named=True)}
    assert set(table) == {"Acrobat Pro", "Project", "Teams", "Visio Plan 2"}
    visio = table["Visio Plan 2"]  # matched to "visio plan 2" regardless of case
    assert (visio["entitled"], visio["consumed"], visio["position"]) == (15, 20, -5)
    assert visio["status"] == calc.UNDER_LICENSED
    assert visio["true_up_cost"] == Decimal("66.65") and visio["unused_cost"] == 0.0
    project = table["Project"]
    assert (project["position"], project["status"]) == (1, calc.OVER_LICENSED)
    assert (project["true_up_cost"], project["unused_cost"]) == (0.0, 100.0)
    teams = table["Teams"]  # used but never bought
    assert (teams["entitled"], teams["position"], teams["status"]) == (0, -4, calc.UNDER_LICENSED)
    assert teams["true_up_cost"] is None  # no price known
    acrobat = table["Acrobat Pro"]  # bought, nobody uses it
    assert (acrobat["consumed"], acrobat["position"]) == (0, 3)


def test_balanced_position():
    entitlements = pl.DataFrame(
        {"product": ["X"], "entitled": [4], "unit_price": [5.0], "currency": ["EUR"]}
    )
    consumption = pl.DataFrame({"product": ["X"], "total": [4], "used_90_days": [4]})
    row = calc.license_position(entitlements, consumption).row(0, named=True)
    assert (row["position"], row["status"], row["true_up_cost"]) == (0, calc.BALANCED, 0.0)


def test_utilisation_and_shelfware_only_where_usage_is_known():
    rows = calc.utilisation(positions()).to_dicts()
    assert rows == [
        {
            "product": "Project",
            "entitled": 2,
            "used_90_days": 1,
            "utilisation": 50.0,
            "shelfware": 1,
            "shelfware_cost": 100.0,
            "currency": "EUR",
        },
        {
            "product": "Visio Plan 2",
            "entitled": 15,
            "used_90_days": 12,
            "utilisation": 80.0,
            "shelfware": 3,
            "shelfware_cost": Decimal("39.99"),
            "currency": "EUR",
        },
    ]


def test_savings_from_reclaimed_seats():
    previous = pl.DataFrame({"product": ["Project", "Visio Plan 2"], "consumed": [5, 18]})
    rows = calc.savings(previous, positions()).to_dicts()
    # Project went from 5 to 1 seats in use; Visio grew from 18 to 20 and saved nothing.
    assert rows == [
        {
            "product": "Project",
            "reclaimed": 4,
            "unit_price": 100.0,
            "currency": "EUR",
            "yearly_savings": 400.0,
        }
    ]


def test_cloud_inactivity_with_and_without_prices():
    inactivity = pl.DataFrame(
        {
            "product": ["MICROSOFT 365 E3", "MICROSOFT TEAMS"],
            "accounts": [10, 3],
            "within_first": [4, 3],
            "within_second": [1, 0],
            "within_third": [1, 0],
            "over_third": [3, 0],
            "never_active": [1, 0],
            "threshold_1": [30, 14],
            "threshold_2": [60, 28],
            "threshold_3": [90, 180],
        }
    )
    prices = pl.DataFrame(
        {"product": ["Microsoft 365 E3"], "unit_price": [431.0], "currency": ["EUR"]}
    )
    table = {r["product"]: r for r in calc.cloud_inactivity(inactivity, prices).to_dicts()}
    assert table["MICROSOFT 365 E3"]["inactive"] == 4  # over the third threshold or never
    assert table["MICROSOFT TEAMS"]["threshold_3"] == 180
    assert table["MICROSOFT 365 E3"]["yearly_cost"] == 1724.0
    assert table["MICROSOFT TEAMS"]["yearly_cost"] is None
    unpriced = calc.cloud_inactivity(inactivity)
    assert unpriced["inactive"].to_list() == [4, 0]
    assert unpriced["yearly_cost"].null_count() == 2


def test_lead_times_median_and_90th_percentile_per_stage_and_month():
    at = datetime
    requests = pl.DataFrame(
        {
            "request_id": ["R1", "R2", "R3", "R4"],
            "product": ["Visio"] * 4,
            "requested_at": [at(2026, 1, 1), at(2026, 1, 2), at(2026, 1, 3), at(2026, 1, 10)],
            "approved_at": [at(2026, 1, 2), at(2026, 1, 4), at(2026, 1, 13), None],
            "ordered_at": [at(2026, 1, 3), at(2026, 1, 6), None, None],
            "provisioned_at": [at(2026, 1, 5), at(2026, 2, 2), None, None],
            "state": ["done", "done", "open", "open"],
        },
        schema_overrides={"ordered_at": pl.Datetime("us")},
    )
    rows = [
        (r["stage"], r["month"], r["median_days"], r["p90_days"], r["requests"])
        for r in calc.lead_times(requests).iter_rows(named=True)
    ]
    assert rows == [
        # 1, 2 and 10 days: median 2, p90 = 2 + 0.8 × 8 = 8.4
        ("request_to_approval", date(2026, 1, 1), 2.0, 8.4, 3),
        ("approval_to_order", date(2026, 1, 1), 1.5, 1.9, 2),  # 1 and 2 days
        ("order_to_provision", date(2026, 1, 1), 2.0, 2.0, 1),
        ("order_to_provision", date(2026, 2, 1), 27.0, 27.0, 1),
        ("end_to_end", date(2026, 1, 1), 4.0, 4.0, 1),
        ("end_to_end", date(2026, 2, 1), 31.0, 31.0, 1),
    ]


def test_renewals_for_the_next_four_quarters():
    rows = calc.renewals(entitlement_rows(), date(2026, 11, 20)).to_dicts()
    assert [(r["quarter"], r["contracts"], r["cost"], r["unpriced"]) for r in rows] == [
        ("2026-Q4", 1, 100.0, 0),  # 10 × 10 on 31.12.2026
        ("2027-Q1", 0, 0.0, 0),
        ("2027-Q2", 1, 100.0, 0),  # 5 × 20 on 1.5.2027
        ("2027-Q3", 0, 0.0, 0),  # Project ends 1.10.2027, the fifth quarter
    ]
    assert (rows[0]["start"], rows[0]["end"]) == (date(2026, 10, 1), date(2026, 12, 31))
    assert rows[3]["end"] == date(2027, 9, 30)


def test_renewals_leave_out_contracts_already_ended_and_count_unpriced():
    rows = entitlement_rows().with_columns(end_date=pl.lit(date(2026, 11, 30)))
    first = calc.renewals(rows, date(2026, 11, 20)).row(0, named=True)
    # Acrobat has no price; all four end within the quarter.
    assert (first["contracts"], first["cost"], first["unpriced"]) == (4, 400.0, 1)
    ended = calc.renewals(rows, date(2026, 12, 1)).row(0, named=True)
    assert ended["contracts"] == 0
