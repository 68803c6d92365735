"""The per-product counting of a Microsoft 365 report against a count made by hand.

Accounts listed once are counted by their "Assigned Products" text, accounts listed more than
once one by one: both paths must give what a plain Python count of the same report gives,
whatever the order of the products in a cell, products named twice in one cell, repeated
accounts and deleted ones.
"""

from collections import defaultdict
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vitrine.figures.importers import m365_inactivity, read_import

from .test_layouts_m365 import DAY, report

PRODUCTS = ["Microsoft 365 E3", "Microsoft Teams Exploratory", "Visio Plan 2", "Project Plan 3"]

account = st.tuples(
    st.integers(min_value=0, max_value=12),  # which person: small, so accounts repeat
    st.booleans(),  # deleted (taken from the person's first row for all of their rows)
    st.one_of(st.none(), st.integers(min_value=0, max_value=200)),  # days since activity
    st.lists(st.sampled_from(PRODUCTS), max_size=4),  # products, in any order, maybe twice
)


def _by_hand(rows) -> dict[str, tuple[int, int, int, int, int, int]]:
    deleted = {}
    products = {}
    latest: dict[int, int | None] = {}
    for person, is_deleted, days, names in rows:
        deleted.setdefault(person, is_deleted)
        products.setdefault(person, sorted(set(names)))
        if person not in latest or latest[person] is None:
            latest[person] = days
        elif days is not None:
            latest[person] = min(latest[person], days)
    table = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for person, names in products.items():
        if deleted[person]:
            continue
        days = latest[person]
        for name in names:
            counts = table[name]
            counts[0] += 1
            if days is None:
                counts[5] += 1
            elif days <= 30:
                counts[1] += 1
            elif days <= 60:
                counts[2] += 1
            elif days <= 90:
                counts[3] += 1
            else:
                counts[4] += 1
    return {name: tuple(counts) for name, counts in table.items()}


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(account, min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_counts_match_a_count_by_hand(rows, rng):
    # A person's rows share their products (in a shuffled order) and their deleted flag.
    first: dict[int, tuple[bool, list[str]]] = {}
    accounts = []
    for person, is_deleted, days, names in rows:
        is_deleted, names = first.setdefault(person, (is_deleted, names))
        shuffled = list(names)
        rng.shuffle(shuffled)
        last = "" if days is None else (DAY - timedelta(days=days)).isoformat()
        accounts.append(
            (
                f"person{person}@example.de",
                f"Person {person}",
                str(is_deleted),
                last,
                "+".join(shuffled),
            )
        )
    expected = _by_hand([(p, first[p][0], d, first[p][1]) for p, _deleted, d, _names in rows])
    imported = read_import(report("m365_email", accounts), filename="email.csv")
    counted = {
        row["product"]: (
            row["accounts"],
            row["within_first"],
            row["within_second"],
            row["within_third"],
            row["over_third"],
            row["never_active"],
        )
        for row in m365_inactivity(imported).iter_rows(named=True)
        if row["accounts"]
    }
    assert counted == expected
