"""Generate SYNTHETIC example partner files for Sefton (no real records of these are public).

Every file name starts with ``SYNTHETIC_`` and geosafety labels everything made from such
files as SYNTHETIC. The generator is deterministic for a seed. What it does:

* **Where**: each record picks an LSOA with probability proportional to its residents (or
  adults) times ``exp(k * z)``, where ``z`` is the LSOA's standardised IMD 2025 score, so
  events concentrate in deprived areas as they do in real data (k = 0.6 for fires, 0.7 for
  MARAC, 1.1 for CJIT, whose clients also lean further towards the L20 district). A real
  Code-Point Open postcode in that LSOA gives the postcode of residence (MARAC, CJIT) or a
  point near which the fire is placed (within 80 m).
* **How many** (a year, Sefton-sized; figures of the order CSSAs report): about 1,100 fires
  of which about 700 deliberate; about 540 MARAC cases from about 420 victims (repeats);
  about 250 CJIT contacts from about 170 clients.
* **Messy on purpose**: a few postcodes written in lower case or without a space, "NFA",
  malformed values, out-of-area (Liverpool) postcodes, district-only and ward-only residence,
  so the loaders' reports have something to report.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geosafety.geography import StudyArea

YEAR = 2025
FILES = {
    "fire": "SYNTHETIC_fire_incidents_sefton_2025.csv",
    "marac": "SYNTHETIC_marac_cases_sefton_2025.csv",
    "cjit": "SYNTHETIC_cjit_clients_sefton_2025.csv",
    "fly_tipping": "SYNTHETIC_fly_tipping_sefton_2025.csv",
}
#: The local-layer definition of the fly-tipping example (see geosafety.io.local_layers).
FLY_TIPPING_DEFINITION = "SYNTHETIC_fly_tipping_sefton_2025.toml"
#: (share, waste type) of fly-tipping reports, in the spirit of Defra's waste categories.
FLY_TIPPING_MIX = ((0.46, "Household black bags"), (0.22, "Other household waste"),
                   (0.12, "Construction and demolition"), (0.08, "White goods and furniture"),
                   (0.07, "Green waste"), (0.05, "Tyres and other"))
FLY_TIPPING_SIZES = ("Single black bag", "Car boot or less", "Small van load",
                     "Transit van load", "Tipper lorry load")
#: (count, category, property type, cause) for a year of fires.
FIRE_MIX = (
    (180, "Primary Fire", "Dwelling - House", "Accidental"),
    (60, "Primary Fire", "Non Residential - Retail", "Accidental"),
    (70, "Primary Fire", "Dwelling - Flat", "Deliberate"),
    (45, "Primary Fire", "Non Residential - Other building", "Deliberate"),
    (90, "Primary Fire", "Road Vehicle - Car", "Deliberate"),
    (380, "Secondary Fire", "Refuse - Wheelie bin / Loose refuse", "Deliberate"),
    (95, "Secondary Fire", "Grassland, woodland and crops", "Deliberate"),
    (20, "Secondary Fire", "Derelict vehicle", "Deliberate"),
    (130, "Secondary Fire", "Refuse - Loose refuse", "Accidental"),
    (30, "Chimney Fire", "Dwelling - House", "Accidental"),
)


def _weights(area: StudyArea, population: str, k: float, boost: dict[str, float]) -> pd.Series:
    iod = area.iod(2025)["IMD_score"]
    z = (iod - iod.mean()) / iod.std()
    weight = area.lsoas[population] * np.exp(k * z.reindex(area.lsoas.index))
    weight *= area.lsoas["postcode_district"].map(boost).fillna(1.0)
    return weight / weight.sum()


def _random_dates(rng: np.random.Generator, n: int, *, evening: bool = False) -> pd.Series:
    days = pd.Timestamp(f"{YEAR}-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    hours = (rng.choice(24, n, p=_evening_profile()) if evening
             else rng.integers(8, 18, n))
    minutes = rng.integers(0, 60, n)
    return pd.Series(days + pd.to_timedelta(hours, unit="h") + pd.to_timedelta(minutes,
                                                                                 unit="m"))


def _evening_profile() -> np.ndarray:
    profile = np.array([3, 2, 2, 1, 1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 8, 9, 9, 8, 7, 5, 4],
                       dtype=float)
    return profile / profile.sum()


def _postcodes_by_lsoa(area: StudyArea) -> pd.DataFrame:
    postcodes = area.postcodes.copy()
    postcodes["lsoa21_code"] = area.postcode_lsoas
    return postcodes.dropna(subset=["lsoa21_code"]).reset_index(names="postcode")


def _pick_postcodes(rng: np.random.Generator, postcodes: pd.DataFrame, lsoas: np.ndarray
                    ) -> pd.DataFrame:
    groups = postcodes.groupby("lsoa21_code").indices
    rows = [groups[code][rng.integers(len(groups[code]))] for code in lsoas]
    return postcodes.iloc[rows].reset_index(drop=True)


def make_fire(area: StudyArea, rng: np.random.Generator, postcodes: pd.DataFrame
              ) -> pd.DataFrame:
    """Make a year of SYNTHETIC fire incidents in a fire service's typical layout."""
    rows = [(cat, prop, cause) for n, cat, prop, cause in FIRE_MIX for _ in range(n)]
    kinds = pd.DataFrame(rows, columns=["IncidentType", "PropertyType", "Cause"])
    weights = _weights(area, "residents", 0.6, {})
    lsoas = rng.choice(weights.index.to_numpy(), len(kinds), p=weights.to_numpy())
    places = _pick_postcodes(rng, postcodes, lsoas)
    kinds["Easting"] = (places["easting"] + rng.uniform(-80, 80, len(kinds))).round().astype(int)
    kinds["Northing"] = (places["northing"] + rng.uniform(-80, 80, len(kinds))).round().astype(
        int)
    kinds["TimeOfCall"] = _random_dates(rng, len(kinds), evening=True).dt.strftime(
        "%d/%m/%Y %H:%M")
    kinds = kinds.sample(frac=1, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
    kinds.insert(0, "IncidentNumber", [f"SYN-F{YEAR}{i:05d}" for i in range(1, len(kinds) + 1)])
    return kinds[["IncidentNumber", "TimeOfCall", "IncidentType", "PropertyType", "Cause",
                  "Easting", "Northing"]]


def make_fly_tipping(area: StudyArea, rng: np.random.Generator, postcodes: pd.DataFrame,
                     reports: int = 3400) -> pd.DataFrame:
    """Make a year of SYNTHETIC fly-tipping reports as a council's case system exports them.

    About 3,400 reports a year (12 per 1,000 residents, below the England figure of about
    20 per 1,000 that Defra's 1.15 million incidents of 2023/24 give), concentrated in
    deprived areas (k = 0.8), each within 60 m of a real postcode of its LSOA, with a
    report reference, date, waste type and size.
    """
    weights = _weights(area, "residents", 0.8, {})
    lsoas = rng.choice(weights.index.to_numpy(), reports, p=weights.to_numpy())
    places = _pick_postcodes(rng, postcodes, lsoas)
    shares = np.array([s for s, _ in FLY_TIPPING_MIX])
    kinds = rng.choice(len(FLY_TIPPING_MIX), reports, p=shares / shares.sum())
    sizes = rng.choice(len(FLY_TIPPING_SIZES), reports, p=[0.3, 0.35, 0.2, 0.12, 0.03])
    frame = pd.DataFrame({
        "Date Reported": _random_dates(rng, reports).dt.strftime("%d/%m/%Y"),
        "Waste Type": [FLY_TIPPING_MIX[k][1] for k in kinds],
        "Size": [FLY_TIPPING_SIZES[k] for k in sizes],
        "Easting": (places["easting"] + rng.uniform(-60, 60, reports)).round().astype(int),
        "Northing": (places["northing"] + rng.uniform(-60, 60, reports)).round().astype(int),
    })
    frame = frame.sample(frac=1, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
    frame.insert(0, "Reference", [f"SYN-FT{YEAR}{i:05d}" for i in range(1, reports + 1)])
    return frame


def fly_tipping_definition() -> str:
    """Return the local-layer definition (TOML) of the SYNTHETIC fly-tipping example."""
    return f"""# Local layer: SYNTHETIC example fly-tipping reports (not real records).
# Made by `geosafety make-synthetic`; see README.md in this folder.
title = "Fly-tipping reports"
source = "council fly-tipping reports"
files = ["{FILES['fly_tipping']}"]
rate_base = "residents"
per = 1000
sensitive = false

[columns]
date = "Date Reported"
id = "Reference"
category = "Waste Type"
"""


def _messy_residence(rng: np.random.Generator, frame: pd.DataFrame, shares: dict[str, float],
                     area: StudyArea) -> pd.DataFrame:
    """Replace some postcodes with the kinds of values partners really send."""
    liverpool = area.postcode_authorities
    liverpool = liverpool.index[liverpool["authority"] == "Liverpool"].to_numpy()
    kinds = rng.choice(list(shares) + ["ok"], len(frame),
                       p=[*shares.values(), 1 - sum(shares.values())])
    frame = frame.copy()
    frame["Ward"] = ""
    for i, kind in enumerate(kinds):
        postcode = frame.at[i, "Postcode"]
        if kind == "lower":
            frame.at[i, "Postcode"] = postcode.lower().replace(" ", "")
        elif kind == "nfa":
            frame.at[i, "Postcode"] = "NFA"
        elif kind == "malformed":
            frame.at[i, "Postcode"] = postcode.replace(" ", "")[:-1]
        elif kind == "out_of_area":
            frame.at[i, "Postcode"] = liverpool[rng.integers(len(liverpool))]
        elif kind == "district":
            frame.at[i, "Postcode"] = postcode.split(" ")[0]
        elif kind == "ward":
            frame.at[i, "Ward"] = frame.at[i, "_ward"]
            frame.at[i, "Postcode"] = ""
    return frame.drop(columns="_ward")


def _distinct_per_person(dates: pd.Series, person: np.ndarray) -> pd.Series:
    """Move a person's case that falls on the day of an earlier one to the next free day.

    Two cases of one person on one day would be one case exported twice, which geosafety
    reads once (with a warning); example data should not look like that.
    """
    days = dates.copy()
    seen: set[tuple[int, pd.Timestamp]] = set()
    for i, who in enumerate(person):
        while (who, days.iat[i].normalize()) in seen:
            days.iat[i] += pd.Timedelta(days=1)
        seen.add((who, days.iat[i].normalize()))
    return days


def make_cases(area: StudyArea, rng: np.random.Generator, postcodes: pd.DataFrame, *,
               people: int, repeat_rate: float, k: float, boost: dict[str, float],
               prefix: str) -> pd.DataFrame:
    """SYNTHETIC case records: people with one or more cases each, at one address each."""
    weights = _weights(area, "adults", k, boost)
    lsoas = rng.choice(weights.index.to_numpy(), people, p=weights.to_numpy())
    homes = _pick_postcodes(rng, postcodes, lsoas)
    repeats = 1 + rng.geometric(1 - repeat_rate, people) - 1
    person = np.repeat(np.arange(people), repeats)
    frame = pd.DataFrame({
        "Date": _distinct_per_person(_random_dates(rng, len(person)), person).dt.strftime(
            "%d/%m/%Y"),
        "Client": [f"{prefix}-{p + 1:05d}" for p in person],
        "Postcode": homes["postcode"].to_numpy()[person],
        "_ward": area.wards["ward_name"].reindex(
            area.lsoas.loc[homes["lsoa21_code"].to_numpy()[person], "ward_code"]).to_numpy(),
    })
    frame = frame.sample(frac=1, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
    return _messy_residence(rng, frame, {"lower": 0.05, "nfa": 0.02, "malformed": 0.01,
                                         "out_of_area": 0.02, "district": 0.03, "ward": 0.03},
                            area)


def make_synthetic(folder: str | Path, *, seed: int = 2025) -> list[Path]:
    """Write the three SYNTHETIC example files into ``folder`` and return their paths.

    Examples
    --------
    >>> import tempfile
    >>> paths = make_synthetic(tempfile.mkdtemp())
    >>> [p.name for p in paths]  # doctest: +NORMALIZE_WHITESPACE
    ['SYNTHETIC_fire_incidents_sefton_2025.csv', 'SYNTHETIC_marac_cases_sefton_2025.csv',
     'SYNTHETIC_cjit_clients_sefton_2025.csv', 'SYNTHETIC_fly_tipping_sefton_2025.csv',
     'SYNTHETIC_fly_tipping_sefton_2025.toml']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    area = StudyArea.sefton()
    postcodes = _postcodes_by_lsoa(area)
    marac = make_cases(area, rng, postcodes, people=420, repeat_rate=0.22, k=0.7, boost={},
                       prefix="SYN-M").rename(columns={"Date": "Referral Date",
                                                       "Client": "Victim ID"})
    cjit = make_cases(area, rng, postcodes, people=170, repeat_rate=0.32, k=1.1,
                      boost={"L20": 1.8, "L21": 1.3}, prefix="SYN-C").rename(
        columns={"Date": "Episode Start Date", "Client": "Client ID"})
    tables = {"fire": make_fire(area, rng, postcodes), "marac": marac, "cjit": cjit}
    tables["fly_tipping"] = make_fly_tipping(area, rng, postcodes)
    paths = []
    for key, table in tables.items():
        path = folder / FILES[key]
        table.to_csv(path, index=False, lineterminator="\n")
        paths.append(path)
    definition = folder / FLY_TIPPING_DEFINITION
    definition.write_text(fly_tipping_definition(), encoding="utf-8")
    return [*paths, definition]


if __name__ == "__main__":  # pragma: no cover
    import sys

    for written in make_synthetic(sys.argv[1] if len(sys.argv) > 1 else "data/synthetic"):
        print(written)
