"""Deterministic sample exports in all five import formats, for demos, tests and benchmarks.

Every person, device and account in these files is made up. Rows are written one at a time
with the csv module, and each employee is derived from (seed, index) alone, so memory stays
flat however many rows are asked for.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import math
import random
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

COMPANY = "Muster AG"
DOMAIN = "muster-ag.example"  # the reserved .example TLD: no real tenant can own it
RENEWAL_HORIZON_DAYS = 365
REQUEST_WINDOW_DAYS = 365

FILENAMES = {
    "entitlements": "lizenzbestand.csv",
    "consumption": "nutzung.csv",
    "snipeit": "snipeit-licenses.csv",
    "m365": "m365-active-user-detail.csv",
    "requests_log": "softwareanfragen.csv",
}

# Department, share of the workforce. Produktion and Logistik work at shared PCs ("frontline").
DEPARTMENTS = (
    ("Vertrieb", 0.18),
    ("Produktion", 0.22),
    ("Konstruktion", 0.12),
    ("Finanzen", 0.07),
    ("Personal", 0.04),
    ("Einkauf", 0.06),
    ("IT", 0.06),
    ("Marketing", 0.05),
    ("Recht", 0.02),
    ("Geschäftsführung", 0.01),
    ("Logistik", 0.12),
    ("Kundenservice", 0.05),
)
FRONTLINE = frozenset({"Produktion", "Logistik"})
COST_CENTRES = {
    "Vertrieb": "3100 Vertrieb",
    "Produktion": "5000 Produktion",
    "Konstruktion": "4200 Konstruktion",
    "Finanzen": "1200 Finanzen",
    "Personal": "1300 Personal",
    "Einkauf": "2100 Einkauf",
    "IT": "1400 IT",
    "Marketing": "3200 Marketing",
    "Recht": "1100 Recht",
    "Geschäftsführung": "1000 Geschäftsführung",
    "Logistik": "5100 Logistik",
    "Kundenservice": "3300 Kundenservice",
}
SITES = (
    ("BER", 0.22),
    ("HAM", 0.14),
    ("MUC", 0.16),
    ("FRA", 0.12),
    ("STR", 0.1),
    ("CGN", 0.08),
    ("DUS", 0.07),
    ("LEJ", 0.06),
    ("NUE", 0.05),
)
FIRST_NAMES = (
    "Anna", "Andreas", "Alexander", "Birgit", "Bernd", "Claudia", "Christian", "Daniel",
    "Doris", "Elena", "Emil", "Felix", "Franziska", "Gabriele", "Georg", "Hannah", "Heinz",
    "Ines", "Ingo", "Julia", "Jan", "Katrin", "Klaus", "Lena", "Lukas", "Maria", "Max",
    "Michael", "Nina", "Niklas", "Olga", "Oliver", "Petra", "Paul", "Ralf", "Sabine",
    "Stefan", "Tanja", "Thomas", "Ute", "Uwe", "Vanessa", "Volker", "Wolfgang", "Yvonne",
    "Zeynep", "Jörg", "Jürgen", "Özlem", "Sören",
)  # fmt: skip
LAST_NAMES = (
    "Mustermann", "Musterfrau", "Müller", "Schmidt", "Schneider", "Fischer", "Weber",
    "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter",
    "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger",
    "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
    "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer",
    "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn",
    "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler",
    "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig",
    "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer", "Vogt", "Stein", "Jäger",
    "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas", "Yılmaz", "Kaya",
    "Nowak", "Kowalski", "Rossi", "Popescu",
)  # fmt: skip
_INITIALS = sorted({name[0] for name in FIRST_NAMES})
_BY_INITIAL = {initial: [n for n in FIRST_NAMES if n[0] == initial] for initial in _INITIALS}
_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ğ": "g"})


@dataclass(frozen=True)
class Product:
    """One product of the sample catalogue and how the sample company uses it."""

    name: str
    vendor: str
    metric: str  # as the entitlements file spells it (German)
    price: float  # EUR per unit and year
    shares: dict[str, float]  # department ("*" = every other) -> share of its people using it
    subject: str = "user"  # consumption identifier: "user" name or "device" name
    shelfware: float = 0.1  # share of installations not used for more than 90 days
    snipeit: bool = False  # also kept as a licence in Snipe-IT
    requests: float = 0.0  # relative weight among software requests
    m365: str = ""  # how the Microsoft 365 admin center names the product, if it does


M365_BASE = ("Microsoft 365 E3", "Microsoft 365 E5", "Microsoft 365 F3")
CATALOGUE: tuple[Product, ...] = (
    Product("Microsoft 365 E3", "Microsoft", "Benutzer", 433.20, {}, shelfware=0.04,
            m365="MICROSOFT 365 E3"),
    Product("Microsoft 365 E5", "Microsoft", "Benutzer", 685.20, {}, shelfware=0.03,
            m365="MICROSOFT 365 E5"),
    Product("Microsoft 365 F3", "Microsoft", "Benutzer", 96.00, {}, shelfware=0.15,
            m365="MICROSOFT 365 F3"),
    Product("Visio Plan 2", "Microsoft", "Benutzer", 180.00,
            {"IT": 0.45, "Konstruktion": 0.15, "*": 0.01}, shelfware=0.3, requests=4,
            m365="VISIO PLAN 2"),
    Product("Project Plan 3", "Microsoft", "Benutzer", 360.00,
            {"IT": 0.3, "Konstruktion": 0.2, "Geschäftsführung": 0.2, "*": 0.005},
            shelfware=0.25, requests=3, m365="PROJECT PLAN 3"),
    Product("Power BI Pro", "Microsoft", "Benutzer", 168.00,
            {"Finanzen": 0.6, "Vertrieb": 0.25, "Geschäftsführung": 0.8, "IT": 0.3, "*": 0.02},
            shelfware=0.2, requests=6, m365="POWER BI PRO"),
    Product("Microsoft Office LTSC Professional Plus 2021", "Microsoft", "Gerät", 480.00,
            {"Produktion": 0.35, "Logistik": 0.3}, subject="device", shelfware=0.12),
    Product("Visual Studio Professional", "Microsoft", "Abonnement", 540.00,
            {"IT": 0.35, "Konstruktion": 0.05}, shelfware=0.15, snipeit=True, requests=2),
    Product("Adobe Acrobat Pro", "Adobe", "Benutzer", 239.88,
            {"Marketing": 0.7, "Recht": 0.9, "Einkauf": 0.3, "Personal": 0.4, "*": 0.08},
            shelfware=0.28, snipeit=True, requests=14),
    Product("Adobe Creative Cloud Pro", "Adobe", "Benutzer", 1079.88,
            {"Marketing": 0.6, "Vertrieb": 0.02}, shelfware=0.15, snipeit=True, requests=4),
    Product("AutoCAD", "Autodesk", "Benutzer", 2275.00, {"Konstruktion": 0.55, "Produktion": 0.01},
            shelfware=0.18, snipeit=True, requests=5),
    Product("AutoCAD LT", "Autodesk", "Benutzer", 564.00,
            {"Konstruktion": 0.25, "Produktion": 0.02, "Einkauf": 0.03},
            shelfware=0.22, snipeit=True, requests=3),
    Product("Autodesk Inventor Professional", "Autodesk", "Benutzer", 2920.00,
            {"Konstruktion": 0.3}, shelfware=0.12, snipeit=True, requests=2),
    Product("SAP GUI (Konzernvertrag)", "SAP", "Benutzer", 3250.00,
            {"Finanzen": 0.95, "Einkauf": 0.95, "Vertrieb": 0.6, "Logistik": 0.35,
             "Produktion": 0.1, "Personal": 0.5, "Kundenservice": 0.4, "*": 0.05},
            shelfware=0.14, requests=5),
    Product("SAP Analytics Cloud", "SAP", "Abonnement", 420.00,
            {"Finanzen": 0.35, "Geschäftsführung": 0.5, "Vertrieb": 0.05}, shelfware=0.3),
    Product("DATEV Unternehmen online", "DATEV", "Benutzer", 312.00,
            {"Finanzen": 0.8, "Personal": 0.3}, shelfware=0.08, requests=2),
    Product("DATEV LODAS", "DATEV", "Benutzer", 598.00, {"Personal": 0.7}, shelfware=0.05),
    Product("Atlassian Jira Software", "Atlassian", "Benutzer", 94.20,
            {"IT": 0.95, "Konstruktion": 0.4, "Marketing": 0.2, "*": 0.02},
            shelfware=0.2, requests=7),
    Product("Atlassian Confluence", "Atlassian", "Benutzer", 62.40,
            {"IT": 0.95, "Konstruktion": 0.5, "Marketing": 0.4, "Vertrieb": 0.15, "*": 0.05},
            shelfware=0.25, requests=5),
    Product("TeamViewer Tensor", "TeamViewer", "Abonnement", 1899.00,
            {"IT": 0.5, "Kundenservice": 0.1}, shelfware=0.2, snipeit=True, requests=2),
    Product("JetBrains IntelliJ IDEA Ultimate", "JetBrains", "Benutzer", 599.00,
            {"IT": 0.25}, shelfware=0.1, snipeit=True, requests=2),
    Product("d.velop documents", "d.velop", "Benutzer", 144.00,
            {"Einkauf": 0.8, "Finanzen": 0.8, "Recht": 0.9, "Personal": 0.6, "*": 0.1},
            shelfware=0.15, requests=3),
    Product("Personio", "Personio", "Benutzer", 96.00,
            {"Personal": 1.0, "Geschäftsführung": 0.6, "*": 0.02}, shelfware=0.05),
    Product("G DATA Endpoint Protection Business", "G DATA", "Gerät", 36.50, {"*": 1.0},
            subject="device", shelfware=0.03),
    Product("Citrix Virtual Apps", "Citrix", "Benutzer", 250.00,
            {"Vertrieb": 0.3, "Kundenservice": 0.6, "Logistik": 0.2, "*": 0.05},
            shelfware=0.3),
    Product("Zoom Workplace Business", "Zoom", "Abonnement", 219.90,
            {"Vertrieb": 0.2, "Marketing": 0.3, "Geschäftsführung": 0.4}, shelfware=0.35,
            snipeit=True, requests=3),
    Product("Miro Business", "Miro", "Benutzer", 192.00,
            {"Marketing": 0.4, "IT": 0.3, "Konstruktion": 0.1}, shelfware=0.3, snipeit=True,
            requests=4),
    Product("Nemetschek Allplan", "Nemetschek", "Benutzer", 2490.00, {"Konstruktion": 0.08},
            shelfware=0.2, snipeit=True, requests=1),
    Product("Snagit", "TechSmith", "Benutzer", 62.99,
            {"Marketing": 0.3, "IT": 0.3, "Kundenservice": 0.1}, shelfware=0.4, snipeit=True,
            requests=3),
    Product("Matrix42 Enterprise Service Management", "Matrix42", "Benutzer", 420.00,
            {"IT": 0.9, "Kundenservice": 0.3}, shelfware=0.1),
)  # fmt: skip
_PRODUCTS = {product.name: product for product in CATALOGUE}
# How far entitlements stray from real use: under-licensed, balanced, over-licensed.
_LICENSING_FACTORS = (0.78, 0.86, 0.93, 0.98, 1.0, 1.0, 1.02, 1.05, 1.1, 1.18, 1.3, 1.55)

M365_WORKLOADS = ("Exchange", "OneDrive", "SharePoint", "Skype For Business", "Yammer", "Teams")
_F3_WORKLOADS = frozenset({"Exchange", "OneDrive", "SharePoint", "Yammer", "Teams"})
_ALL_WORKLOADS = frozenset(M365_WORKLOADS)
M365_HEADER = (
    ["Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date"]
    + [f"Has {w} License" for w in M365_WORKLOADS]
    + [f"{w} Last Activity Date" for w in M365_WORKLOADS]
    + [f"{w} License Assign Date" for w in M365_WORKLOADS]
    + ["Assigned Products"]
)
# Days since last activity: (lowest, highest, weight) for office and for frontline accounts;
# None is "never active".
_ACTIVITY = (
    ((0, 30), (31, 60), (61, 90), (91, 400), None),
    (0.8, 0.05, 0.03, 0.06, 0.06),
    (0.58, 0.08, 0.06, 0.14, 0.14),
)

ENTITLEMENTS_HEADER = (
    "Produkt", "Hersteller", "Lizenzmetrik", "Menge", "Einzelpreis", "Währung", "Beginn",
    "Ende", "Kostenstelle",
)  # fmt: skip
CONSUMPTION_HEADER = ("Produkt", "Gerät/Benutzer", "Zuletzt genutzt")
# As Snipe-IT (v7, English) writes its licence export, lower-case "id" included.
SNIPEIT_HEADER = (
    "id", "Company", "Name", "Serial Number", "Purchase Date", "Purchase Cost", "Order Number",
    "Licenses available", "Seats", "Created By", "Depreciation", "Updated at", "Deleted at",
    "Email", "Fully Depreciated", "Supplier", "Expiration Date", "Purchase Order Number",
    "Termination Date", "Maintained", "Manufacturer", "Category", "Min. QTY", "Reassignable",
    "Notes", "Created At",
)  # fmt: skip
REQUESTS_HEADER = (
    "Anfrage-ID", "Produkt", "Angefragt", "Genehmigt", "Bestellt", "Bereitgestellt", "Status",
)  # fmt: skip


@dataclass(frozen=True)
class SampleFile:
    """One written sample file."""

    format: str
    path: Path
    rows: int


@dataclass(frozen=True)
class Employee:
    """A made-up employee; everything follows from (seed, index)."""

    index: int
    first: str
    last: str
    username: str
    department: str
    site: str
    device: str
    frontline: bool
    products: tuple[str, ...]  # catalogue products used, the same in every file of one seed


def _cumulative(pairs: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    total, bounds = 0.0, []
    for _name, weight in pairs:
        total += weight
        bounds.append(total)
    return [name for name, _weight in pairs], [bound / total for bound in bounds]


_DEPARTMENT_PICK = _cumulative(DEPARTMENTS)
_SITE_PICK = _cumulative(SITES)


def _weighted(rng: random.Random, pick: tuple[list[str], list[float]]) -> str:
    names, bounds = pick
    return names[min(bisect.bisect_right(bounds, rng.random()), len(names) - 1)]


def _share(product: Product, department: str) -> float:
    return product.shares.get(department, product.shares.get("*", 0.0))


# Per department, the optional products with a chance above zero: one draw each per employee.
_OPTIONAL = {
    department: tuple(
        (product.name, _share(product, department))
        for product in CATALOGUE
        if product.name not in M365_BASE and _share(product, department) > 0
    )
    for department, _weight in DEPARTMENTS
}


def _m365_base(department: str, frontline: bool, rng: random.Random) -> str:
    if department in ("IT", "Geschäftsführung"):
        return "Microsoft 365 E5"
    if frontline:
        return "Microsoft 365 F3" if rng.random() < 0.9 else "Microsoft 365 E3"
    return "Microsoft 365 E5" if rng.random() < 0.03 else "Microsoft 365 E3"


def employee(seed: int, index: int) -> Employee:
    """The employee number `index` of the sample company for `seed`."""
    rng = random.Random(seed * 1_000_003 + index)
    # Usernames are unique without remembering them: (initial, last name) runs through every
    # combination in a seed-dependent order, then the same again with a number appended.
    combos = len(_INITIALS) * len(LAST_NAMES)
    step = 7_919  # a prime that shares no factor with `combos`
    slot = (index * step + seed) % combos
    initial, last = _INITIALS[slot % len(_INITIALS)], LAST_NAMES[slot // len(_INITIALS)]
    round_ = index // combos
    names = _BY_INITIAL[initial]
    first = names[int(rng.random() * len(names))]
    username = f"{initial.lower()}.{last.lower().translate(_ASCII)}"
    if round_:
        username += str(round_ + 1)
    department = _weighted(rng, _DEPARTMENT_PICK)
    site = _weighted(rng, _SITE_PICK)
    frontline = department in FRONTLINE
    device = f"{'PC' if frontline else 'NB'}-{site}-{index + 1:05d}"
    products = [_m365_base(department, frontline, rng)]
    products += [name for name, share in _OPTIONAL[department] if rng.random() < share]
    return Employee(
        index, first, last, username, department, site, device, frontline, tuple(products)
    )


def expected_users(employees: int) -> dict[str, float]:
    """How many of `employees` are expected to use each product."""
    total = sum(weight for _d, weight in DEPARTMENTS)
    expected: dict[str, float] = {}
    for product in CATALOGUE:
        expected[product.name] = employees * sum(
            weight / total * _share(product, department) for department, weight in DEPARTMENTS
        )
    office = employees * sum(w for d, w in DEPARTMENTS if d not in FRONTLINE) / total
    frontline = employees * sum(w for d, w in DEPARTMENTS if d in FRONTLINE) / total
    e5_only = employees * sum(w for d, w in DEPARTMENTS if d in ("IT", "Geschäftsführung")) / total
    other_office = office - e5_only
    expected["Microsoft 365 E5"] = e5_only + 0.03 * other_office
    expected["Microsoft 365 E3"] = 0.97 * other_office + 0.1 * frontline
    expected["Microsoft 365 F3"] = 0.9 * frontline
    return expected


def _german_decimal(value: float) -> str:
    whole, _sep, cents = f"{value:,.2f}".partition(".")
    return f"{whole.replace(',', '.')},{cents}"


def _german_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28) + timedelta(days=1)


def _quantities(seed: int, employees: int) -> dict[str, int]:
    rng = random.Random(f"{seed}:quantities")
    expected = expected_users(employees)
    quantities = {}
    for product in CATALOGUE:
        factor = rng.choice(_LICENSING_FACTORS) * rng.uniform(0.98, 1.02)
        quantities[product.name] = max(1, round(expected[product.name] * factor))
    return quantities


def _entitlement_rows(seed: int, employees: int, as_of: date) -> Iterator[list[str]]:
    rng = random.Random(f"{seed}:entitlements")
    quantities = _quantities(seed, employees)
    for product in CATALOGUE:
        end = as_of + timedelta(days=rng.randint(14, RENEWAL_HORIZON_DAYS))
        start = _year_before(end)
        if product.vendor == "SAP":
            start = start.replace(year=start.year - 2)  # the group contract runs three years
        top = max(product.shares, key=product.shares.get) if product.shares else "IT"
        centre = COST_CENTRES.get(top, "1400 IT")
        quantity = quantities[product.name]
        # Some contracts were topped up during the term: a second line for the same product.
        top_up = quantity // 6 if quantity >= 12 and rng.random() < 0.25 else 0
        lines = [(start, quantity - top_up)]
        if top_up:
            lines.append((start + timedelta(days=rng.randint(60, 200)), top_up))
        price = product.price * rng.uniform(0.92, 1.0)  # negotiated discounts
        for begin, amount in lines:
            yield [
                product.name,
                product.vendor,
                product.metric,
                str(amount),
                _german_decimal(price),
                "EUR",
                _german_date(begin),
                _german_date(end),
                centre,
            ]


class _Days:
    """Date strings `days` before a reference date, formatted once: rows repeat few dates."""

    def __init__(self, as_of: date, pattern: str) -> None:
        self.as_of, self.pattern = as_of, pattern
        self.cache: dict[int, str] = {}

    def __getitem__(self, days: int) -> str:
        text = self.cache.get(days)
        if text is None:
            text = self.cache[days] = (self.as_of - timedelta(days=days)).strftime(self.pattern)
        return text


def _last_used_days(rng: random.Random, product: Product) -> int:
    if rng.random() < product.shelfware:
        return rng.randint(91, 540)
    return min(90, int(rng.expovariate(1 / 7)))


def _consumption_rows(
    seed: int, employees: int, as_of: date, rows: int | None, counts: Counter[str]
) -> Iterator[list[str]]:
    """One row per user or device per product; beyond `employees` when `rows` asks for more."""
    rng = random.Random(f"{seed}:consumption")
    days = _Days(as_of, "%d.%m.%Y")
    written = 0
    index = 0
    while (written < rows) if rows is not None else (index < employees):
        person = employee(seed, index)
        for name in person.products:
            if rows is not None and written >= rows:
                return
            product = _PRODUCTS[name]
            subject = person.device if product.subject == "device" else person.username
            counts[name] += 1
            written += 1
            yield [name, subject, days[_last_used_days(rng, product)]]
        index += 1


def _snipeit_rows(
    seed: int, employees: int, as_of: date, used: Counter[str]
) -> Iterator[list[str]]:
    rng = random.Random(f"{seed}:snipeit")
    quantities = _quantities(seed, employees)
    created = datetime.combine(as_of - timedelta(days=700), time(9, 0))
    for number, product in enumerate((p for p in CATALOGUE if p.snipeit), start=1):
        seats = quantities[product.name]
        free = max(0, seats - used[product.name])
        end = as_of + timedelta(days=rng.randint(14, RENEWAL_HORIZON_DAYS))
        start = _year_before(end)
        key = "-".join(
            "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(5))
            for _ in range(4)
        )
        stamp = (created + timedelta(days=number * 11, minutes=rng.randint(0, 480))).strftime(
            "%Y-%m-%d %H:%M:%S"
        )
        yield [
            str(number),
            COMPANY,
            product.name,
            key,
            start.isoformat(),
            f"{product.price * rng.uniform(0.92, 1.0):.2f}",
            f"{as_of.year - 1}-{rng.randint(1000, 9999)}",
            str(free),
            str(seats),
            "IT Service Desk",
            "",
            stamp,
            "",
            "",
            "No",
            "Bechtle AG" if rng.random() < 0.6 else "SoftwareONE Deutschland GmbH",
            end.isoformat(),
            f"PO-{rng.randint(100000, 999999)}",
            "",
            "Yes",
            product.vendor,
            "Software",
            "0",
            "Yes",
            "",
            stamp,
        ]


def _concealed(seed: int, kind: str, value: str) -> str:
    # Tenants that conceal names show a stable 32-digit hex hash in place of each name.
    return hashlib.md5(f"{seed}:{kind}:{value}".encode(), usedforsecurity=False).hexdigest().upper()


def _m365_row(
    *,
    refresh: str,
    account: str,
    display: str,
    deleted: str,
    products: str,
    workloads: frozenset[str],
    last: int | None,
    assigned: int,
    days: _Days,
    rng: random.Random,
) -> list[str]:
    has = ["True" if w in workloads else "False" for w in M365_WORKLOADS]
    activity = []
    for workload in M365_WORKLOADS:
        if last is None or workload not in workloads or workload == "Skype For Business":
            activity.append("")
        elif workload in ("Exchange", "Teams"):
            # The busiest workloads carry the account's last activity; the others trail it.
            activity.append(days[last + int(rng.random() * 3)])
        elif rng.random() < 0.7:
            activity.append(days[last + int(rng.random() * 46)])
        else:
            activity.append("")
    assign_day = days[assigned]
    assigns = [assign_day if w in workloads else "" for w in M365_WORKLOADS]
    return [
        refresh,
        account,
        display,
        "True" if deleted else "False",
        deleted,
        *has,
        *activity,
        *assigns,
        products,
    ]


def _activity_days(rng: random.Random, frontline: bool) -> int | None:
    ranges, office, floor = _ACTIVITY
    weights = floor if frontline else office
    pick = rng.random()
    for span, weight in zip(ranges, weights, strict=True):
        pick -= weight
        if pick < 0:
            return None if span is None else rng.randint(*span)
    return None


def _m365_rows(
    seed: int, employees: int, as_of: date, rows: int | None, conceal: bool
) -> Iterator[list[str]]:
    """Employees' accounts, with leavers (deleted) and unlicensed service accounts among them."""
    rng = random.Random(f"{seed}:m365")
    days = _Days(as_of, "%Y-%m-%d")
    refresh = as_of.isoformat()
    written = 0
    index = 0
    while (written < rows) if rows is not None else (index < employees):
        roll = rng.random()
        deleted = None
        if roll < 0.02:
            # A service account: mailbox for a scanner or a meeting room, no licence.
            name = f"svc-{rng.choice(('scan', 'raum', 'info', 'noreply'))}-{written:05d}"
            upn, display, products, workloads = f"{name}@{DOMAIN}", name, "", frozenset()
            frontline = False
        else:
            person = employee(seed, index)
            index += 1
            upn = f"{person.username}@{DOMAIN}"
            display = f"{person.first} {person.last}"
            skus = [_PRODUCTS[n].m365 for n in person.products if _PRODUCTS[n].m365]
            products = "+".join(skus)
            frontline = person.frontline
            f3 = "MICROSOFT 365 F3" in skus
            workloads = _F3_WORKLOADS if f3 else _ALL_WORKLOADS
            if written % 29 == 11:
                # A leaver (about 3 %), deleted this many days ago; kept 30 days by the tenant.
                deleted = rng.randint(1, 29)
        last = _activity_days(rng, frontline) if workloads else None
        if deleted is not None and last is not None:
            last = max(last, deleted)
        if last is not None:
            assigned = last + int(rng.random() * 2001)
        else:
            # Never active: new joiners as well as accounts forgotten for years.
            assigned = rng.randint(0, 120) if rng.random() < 0.5 else rng.randint(121, 1500)
        if conceal:
            upn, display = _concealed(seed, "upn", upn), _concealed(seed, "name", display)
        written += 1
        yield _m365_row(
            refresh=refresh,
            account=upn,
            display=display,
            deleted="" if deleted is None else days[deleted],
            products=products,
            workloads=workloads,
            last=last,
            assigned=assigned,
            days=days,
            rng=rng,
        )


def _business_hours(moment: datetime) -> datetime:
    """Move a moment off nights and weekends to the next working morning."""
    if moment.hour >= 18:
        moment = datetime.combine(moment.date() + timedelta(days=1), time(8, moment.minute))
    elif moment.hour < 7:
        moment = moment.replace(hour=8)
    while moment.weekday() >= 5:
        moment = datetime.combine(moment.date() + timedelta(days=1), time(8, moment.minute))
    return moment


def _stage(rng: random.Random, start: datetime, median_hours: float, sigma: float) -> datetime:
    hours = math.exp(rng.gauss(math.log(median_hours), sigma))
    return _business_hours(start + timedelta(hours=hours))


def _request_rows(seed: int, employees: int, as_of: date) -> Iterator[list[str]]:
    rng = random.Random(f"{seed}:requests")
    products = [p for p in CATALOGUE if p.requests]
    weights = [p.requests for p in products]
    count = max(1, round(employees * 1.2))
    now = datetime.combine(as_of, time(17, 0))
    first = now - timedelta(days=REQUEST_WINDOW_DAYS)
    span = (now - first).total_seconds()
    stamp = "%d.%m.%Y %H:%M"
    for number in range(count):
        requested = first + timedelta(seconds=span * (number + rng.random()) / count)
        requested = min(_business_hours(requested), now)
        product = rng.choices(products, weights)[0]
        stages: list[datetime | None] = [None, None, None]
        state = "In Genehmigung"
        rejected = rng.random() < 0.05
        approved = _stage(rng, requested, 18, 1.1)
        if approved <= now:
            if rejected:
                state = "Abgelehnt"
            else:
                stages[0], state = approved, "Genehmigt"
                # A free seat in the pool needs no order; otherwise purchasing orders one.
                from_pool = rng.random() < 0.35
                ordered = approved if from_pool else _stage(rng, approved, 40, 1.0)
                if ordered <= now:
                    if not from_pool:
                        stages[1], state = ordered, "Bestellt"
                    provided = _stage(rng, ordered, 14 if from_pool else 30, 1.2)
                    if provided <= now:
                        stages[2], state = provided, "Bereitgestellt"
        yield [
            f"RITM{number + 10_001:07d}",
            product.name,
            requested.strftime(stamp),
            *(moment.strftime(stamp) if moment else "" for moment in stages),
            state,
        ]


def _write(
    path: Path, header: tuple[str, ...] | list[str], rows: Iterator[list[str]], **options: str
) -> int:
    encoding = options.pop("encoding", "utf-8-sig")
    written = 0
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n", **options)  # type: ignore[arg-type]
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            written += 1
    return written


def make_sample_data(
    *,
    employees: int,
    out: Path,
    seed: int = 1,
    as_of: date,
    conceal_names: bool = False,
    rows_m365: int | None = None,
    rows_consumption: int | None = None,
    only: Collection[str] | None = None,
) -> list[SampleFile]:
    """Write all five sample files for a company of `employees` into `out`.

    `as_of` is the date of the data (the Microsoft 365 report's refresh date). `rows_m365` and
    `rows_consumption` force exact row counts for benchmarks: more rows come from further
    made-up employees, fewer stop early. `only` names the formats to write (default: all of
    them); a file written alone is identical to the same file written with the others. The
    same arguments always give identical files.
    """
    unknown = set(only or ()) - set(FILENAMES)
    if unknown:
        raise ValueError(f"unknown sample formats: {', '.join(sorted(unknown))}")
    wanted = set(FILENAMES) if only is None else set(only)
    out.mkdir(parents=True, exist_ok=True)
    files = []

    def write(
        key: str, header: tuple[str, ...] | list[str], rows: Iterator[list[str]], **options: str
    ):
        if key in wanted:
            files.append(
                SampleFile(
                    key, out / FILENAMES[key], _write(out / FILENAMES[key], header, rows, **options)
                )
            )
        elif key == "consumption" and "snipeit" in wanted:
            for _row in rows:  # Snipe-IT's checked-out seats follow the consumption counts
                pass

    # German Excel saves Windows-1252 with semicolons; the importer must take it as it comes.
    write(
        "entitlements",
        ENTITLEMENTS_HEADER,
        _entitlement_rows(seed, employees, as_of),
        delimiter=";",
        encoding="cp1252",
    )
    used: Counter[str] = Counter()
    write(
        "consumption",
        CONSUMPTION_HEADER,
        _consumption_rows(seed, employees, as_of, rows_consumption, used),
        delimiter=";",
    )
    write("snipeit", SNIPEIT_HEADER, _snipeit_rows(seed, employees, as_of, used), encoding="utf-8")
    write("m365", M365_HEADER, _m365_rows(seed, employees, as_of, rows_m365, conceal_names))
    write(
        "requests_log",
        REQUESTS_HEADER,
        _request_rows(seed, employees, as_of),
        delimiter=";",
    )
    return files
