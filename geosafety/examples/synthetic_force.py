"""Generate a SYNTHETIC police force crime extract and night-time premises list for Sefton.

No public data gives offence times, so geosafety ships made-up examples in the layout forces
and councils use. **They describe no real offences or premises.** File names start with
``SYNTHETIC_`` and every output made from them is labelled SYNTHETIC. How they are made
(deterministic for a seed):

* **Which offences, where and in which month** follow the real bundled police.uk 2025
  records for Sefton, one synthetic offence per police.uk crime (ASB is not a crime and is
  left out): the police.uk crime type decides the offence group and a Home Office offence
  description is drawn for it (see :data:`OFFENCES`); the location is the record's
  anonymised police.uk map point, so area counts match police.uk's.
* **Everything else is invented**: the day within the month, the time and window
  (:data:`TIMING`), the flags (:data:`FLAG_RATES`) and the crime reference.
* **Night-time premises**: venues named "SYNTHETIC ... NN" placed at police.uk map points on
  town-centre streets (:data:`PREMISES_STREETS`), with AddressBase-style classification
  codes CR06 (public house, bar or nightclub), CR07 (restaurant) and CR10 (takeaway).
  Violence in LSOAs holding two or more synthetic venues is given a night-time profile and
  more alcohol and stranger flags, as NTE violence has.
* A few records are messy on purpose, as real extracts are: dates without times, windows
  longer than a week, times written "2230", and the "to" time without a date.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geosafety.geography import StudyArea, assign_lsoa, locate_records, points_from_xy
from geosafety.io import ASB, get_path, read_police_uk

FILES = {"force": "SYNTHETIC_force_crime_sefton_2025.csv.gz",
         "premises": "SYNTHETIC_nte_premises_sefton.csv"}

#: police.uk crime type: (offence description, probability), the descriptions Home Office ones.
OFFENCES: dict[str, tuple[tuple[str, float], ...]] = {
    "Violence and sexual offences": (
        ("Common assault and battery", 0.27), ("Assault occasioning actual bodily harm", 0.17),
        ("Malicious communications", 0.12), ("Harassment", 0.09),
        ("Controlling or coercive behaviour", 0.05), ("Stalking", 0.04),
        ("Assault on an emergency worker", 0.03), ("Threats to kill", 0.02),
        ("Wounding with intent to do grievous bodily harm", 0.02),
        ("Racially or religiously aggravated common assault", 0.01),
        ("Sexual assault on a female aged 13 and over", 0.05),
        ("Rape of a female aged 16 and over", 0.03), ("Exposure and voyeurism", 0.02),
        ("Assault without injury on a constable", 0.08)),
    "Criminal damage and arson": (
        ("Criminal damage to a vehicle", 0.33), ("Criminal damage to a dwelling", 0.30),
        ("Criminal damage to other building", 0.12), ("Other criminal damage", 0.17),
        ("Arson not endangering life", 0.07),
        ("Racially or religiously aggravated criminal damage", 0.01)),
    "Burglary": (("Burglary - residential", 0.7), ("Burglary - business and community", 0.3)),
    "Robbery": (("Robbery of personal property", 0.85), ("Robbery of business property", 0.15)),
    "Vehicle crime": (("Theft from a motor vehicle", 0.55),
                      ("Theft or unauthorised taking of a motor vehicle", 0.3),
                      ("Interfering with a motor vehicle", 0.15)),
    "Shoplifting": (("Shoplifting", 1.0),),
    "Theft from the person": (("Theft from the person", 1.0),),
    "Bicycle theft": (("Theft or unauthorised taking of a pedal cycle", 1.0),),
    "Other theft": (("Other theft", 0.7), ("Making off without payment", 0.25),
                    ("Theft by an employee", 0.05)),
    "Drugs": (("Possession of cannabis", 0.6), ("Possession of other controlled drugs", 0.2),
              ("Trafficking in controlled drugs", 0.2)),
    "Possession of weapons": (("Possession of article with blade or point", 0.65),
                              ("Possession of offensive weapon", 0.35)),
    "Public order": (("Public fear, alarm or distress", 0.78),
                     ("Racially or religiously aggravated public fear, alarm or distress", 0.07),
                     ("Affray", 0.1), ("Violent disorder", 0.05)),
    "Other crime": (("Breach of a non-molestation order", 0.35),
                    ("Perverting the course of justice", 0.15), ("Dangerous dogs offences", 0.2),
                    ("Other miscellaneous offence", 0.3)),
}

#: Relative weight of each hour 0-23 for the time profiles (multiplied by day weights).
_HOURS = {
    "night": [6, 5, 4, 3, 1, .5, .3, .3, .4, .5, .6, .7, .8, .8, .8, .9, 1, 1.2, 1.8, 2.5, 3,
              3.5, 4.5, 5.5],
    "evening": [.8, .6, .4, .3, .2, .2, .4, .8, 1.1, 1.2, 1.2, 1.3, 1.4, 1.4, 1.5, 1.7, 1.9, 2,
                2.1, 2, 1.8, 1.5, 1.2, 1],
    "day": [0, 0, 0, 0, 0, 0, 0, .1, .4, .8, 1, 1.2, 1.3, 1.3, 1.4, 1.6, 1.8, 1.7, 1.3, .8, .4,
            .2, .05, 0],
    "general": [.6, .5, .4, .3, .2, .2, .3, .6, 1, 1.1, 1.2, 1.2, 1.3, 1.3, 1.3, 1.4, 1.5,
                1.5, 1.4, 1.3, 1.2, 1.1, .9, .7],
}
#: Relative weight of each weekday, Monday to Sunday.
_DAYS = {"night": [.6, .6, .7, .9, 1.6, 2.4, 1.8], "evening": [1, 1, 1, 1, 1.1, 1.3, 1.3],
         "day": [1, 1, 1, 1, 1.1, 1.3, .9], "general": [1, 1, 1, 1, 1.05, 1.05, .95]}
#: police.uk type: (profile, share with a window, window lengths in hours).
TIMING: dict[str, tuple[str, float, tuple[float, ...]]] = {
    "Violence and sexual offences": ("evening", 0.08, (1, 2, 3)),
    "Criminal damage and arson": ("evening", 0.45, (2, 4, 8, 10, 12)),
    "Burglary": ("general", 0.6, (3, 4, 8, 9.5, 12, 14)),
    "Robbery": ("evening", 0.05, (1,)),
    "Vehicle crime": ("evening", 0.65, (6, 8, 10, 12)),
    "Shoplifting": ("day", 0.03, (1,)),
    "Theft from the person": ("general", 0.3, (1, 2, 3)),
    "Bicycle theft": ("general", 0.6, (2, 4, 8, 10)),
    "Other theft": ("general", 0.35, (1, 2, 4, 8)),
    "Drugs": ("general", 0.0, (1,)),
    "Possession of weapons": ("evening", 0.0, (1,)),
    "Public order": ("evening", 0.05, (1,)),
    "Other crime": ("general", 0.2, (2, 24)),
}
#: police.uk type: probability of each flag (alcohol, domestic, hate, knife, drugs, stranger).
FLAG_RATES: dict[str, tuple[float, ...]] = {
    "Violence and sexual offences": (0.16, 0.38, 0.03, 0.04, 0.04, 0.12),
    "NTE violence": (0.55, 0.08, 0.04, 0.05, 0.06, 0.45),
    "Criminal damage and arson": (0.10, 0.14, 0.02, 0.0, 0.02, 0.05),
    "Robbery": (0.12, 0.02, 0.01, 0.25, 0.08, 0.6),
    "Drugs": (0.02, 0.0, 0.0, 0.03, 1.0, 0.0),
    "Possession of weapons": (0.05, 0.02, 0.0, 0.65, 0.15, 0.0),
    "Public order": (0.2, 0.1, 0.08, 0.01, 0.03, 0.2),
}
_FLAG_CODES = ("ALC", "DA", "HATE", "KNIFE", "DRUGS", "STR")
#: Town-centre streets (as police.uk map points name them): how many SYNTHETIC venues each.
PREMISES_STREETS = {
    "Lord Street": 14, "Nevill Street": 8, "West Street": 5, "London Street": 5,
    "Chapel Street": 4, "King Street": 4, "Eastbank Street": 3, "Stanley Road": 7,
    "Oriel Road": 2, "South Road": 7, "Liverpool Road": 6, "Chapel Lane": 3,
    "Three Tuns Lane": 2,
}
_KINDS = (("CR06", "Public House / Bar / Nightclub", "bar", 0.55),
          ("CR07", "Restaurant / Cafeteria", "restaurant", 0.2),
          ("CR10", "Fast Food Outlet / Takeaway (Hot / Cold)", "takeaway", 0.25))


def _police_uk_crimes(area: StudyArea) -> pd.DataFrame:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        records, _ = locate_records(read_police_uk(get_path("police_uk_2025")), area)
    crimes = records[(records["crime_type"] != ASB) & records["longitude"].notna()]
    crimes = crimes[crimes["longitude"] != 0].reset_index(drop=True)
    points = points_from_xy(crimes["longitude"], crimes["latitude"], crs="EPSG:4326")
    return crimes.assign(easting=points.x.round().astype(int),
                         northing=points.y.round().astype(int))


def make_premises(rng: np.random.Generator, crimes: pd.DataFrame) -> pd.DataFrame:
    """SYNTHETIC venues at police.uk map points on town-centre streets."""
    location = crimes["location"].str.replace("On or near ", "", regex=False)
    rows = []
    for street, count in PREMISES_STREETS.items():
        points = crimes.loc[location == street, ["easting", "northing"]].drop_duplicates()
        if points.empty:
            continue
        chosen = points.sample(count, replace=len(points) < count, random_state=rng)
        for easting, northing in chosen.itertuples(index=False):
            code, description, word, _ = _KINDS[rng.choice(len(_KINDS),
                                                            p=[k[3] for k in _KINDS])]
            rows.append({"Classification Code": code, "Classification Description": description,
                         "Street": street, "kind": word,
                         "Easting": int(easting + rng.integers(-25, 26)),
                         "Northing": int(northing + rng.integers(-25, 26))})
    table = pd.DataFrame(rows)
    table.insert(0, "UPRN", [f"SYN-{i:06d}" for i in range(1, len(table) + 1)])
    table.insert(1, "Organisation Name", [f"SYNTHETIC {k} {i:02d}" for i, k in
                                          enumerate(table.pop("kind"), start=1)])
    return table


def _draw_times(rng: np.random.Generator, months: pd.Series, profile: str) -> pd.Series:
    """Draw a start time for each record within its month from a weekday x hour profile."""
    grid = np.outer(_DAYS[profile], _HOURS[profile])
    out = pd.Series(pd.NaT, index=months.index, dtype="datetime64[ns]")
    for month, idx in months.groupby(months).groups.items():
        hours = pd.date_range(month.start_time, month.end_time.floor("h"), freq="h")
        p = grid[hours.day_of_week, hours.hour]
        picks = rng.choice(len(hours), size=len(idx), p=p / p.sum())
        minutes = rng.integers(0, 12, size=len(idx)) * 5
        out[idx] = hours[picks] + pd.to_timedelta(minutes, unit="min")
    return out


def make_force_crimes(area: StudyArea, rng: np.random.Generator, crimes: pd.DataFrame,
                      premises: pd.DataFrame) -> pd.DataFrame:
    """One SYNTHETIC force-extract row per police.uk crime (see the module notes)."""
    venues = assign_lsoa(points_from_xy(premises["Easting"], premises["Northing"],
                                        crs="EPSG:27700"), area).value_counts()
    nte_lsoas = set(venues[venues >= 2].index)
    n = len(crimes)
    offence = pd.Series("", index=crimes.index)
    start = pd.Series(pd.NaT, index=crimes.index, dtype="datetime64[ns]")
    window = pd.Series(0.0, index=crimes.index)
    flags = np.zeros((n, len(_FLAG_CODES)), dtype=bool)
    violence = crimes["crime_type"] == "Violence and sexual offences"
    nte = violence & crimes["lsoa21_code"].isin(nte_lsoas) & (rng.random(n) < 0.7)
    for crime_type, idx in crimes.groupby("crime_type").groups.items():
        names, p = zip(*OFFENCES[crime_type], strict=True)
        offence[idx] = rng.choice(names, size=len(idx), p=np.array(p) / sum(p))
        profile, share, lengths = TIMING[crime_type]
        plain = [i for i in idx if not nte[i]]
        start[plain] = _draw_times(rng, crimes.loc[plain, "month"], profile)
        windowed = rng.random(len(idx)) < share
        window[idx[windowed]] = rng.choice(lengths, size=int(windowed.sum()))
        rates = FLAG_RATES.get(crime_type, (0.03, 0.03, 0.01, 0.0, 0.02, 0.05))
        flags[np.asarray(crimes.index.get_indexer(idx))] = rng.random(
            (len(idx), len(rates))) < rates
    start[nte] = _draw_times(rng, crimes.loc[nte, "month"], "night")
    flags[nte.to_numpy()] = rng.random((int(nte.sum()), 6)) < FLAG_RATES["NTE violence"]
    flags[offence.str.contains("aggravated").to_numpy(), 2] = True
    flags[flags[:, 1], 5] = False  # domestic abuse is not by a stranger
    end = start + pd.to_timedelta(window, unit="h")
    date_only = rng.random(n) < 0.02
    long_window = (crimes["crime_type"] == "Burglary") & (rng.random(n) < 0.01)
    end[long_window] = start[long_window] + pd.to_timedelta(
        rng.integers(8, 15, size=int(long_window.sum())), unit="D")
    compact_time = rng.random(n) < 0.03
    has_end = end > start
    table = pd.DataFrame({
        "Crime Reference": [f"SYN-CR-25-{i:06d}" for i in rng.permutation(n) + 1],
        "Committed From Date": start.dt.strftime("%d/%m/%Y"),
        "Committed From Time": start.dt.strftime("%H:%M").where(~compact_time,
                                                              start.dt.strftime("%H%M")),
        "Committed To Date": end.dt.strftime("%d/%m/%Y").where(has_end, ""),
        "Committed To Time": end.dt.strftime("%H:%M").where(has_end, ""),
        "Offence Description": offence,
        "Qualifiers": ["; ".join(c for c, f in zip(_FLAG_CODES, row, strict=True) if f)
                       for row in flags],
        "Easting": crimes["easting"], "Northing": crimes["northing"],
    })
    table.loc[date_only, ["Committed From Time", "Committed To Date", "Committed To Time"]] = ""
    same_day = has_end & (end.dt.normalize() == start.dt.normalize()) & (rng.random(n) < 0.3)
    table.loc[same_day & ~date_only, "Committed To Date"] = ""  # "to" time on the same date
    return table.sort_values(["Committed From Date", "Crime Reference"], key=lambda s: (
        pd.to_datetime(s, format="%d/%m/%Y") if s.name == "Committed From Date" else s)
    ).reset_index(drop=True)


def make_synthetic_force(folder: str | Path, *, seed: int = 2025) -> list[Path]:
    """Write the SYNTHETIC force extract and premises list into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    area = StudyArea.sefton()
    crimes = _police_uk_crimes(area)
    premises = make_premises(rng, crimes)
    force = make_force_crimes(area, rng, crimes, premises)
    paths = [folder / FILES["force"], folder / FILES["premises"]]
    import gzip

    with gzip.GzipFile(paths[0], "wb", mtime=0) as handle:
        handle.write(force.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    premises.to_csv(paths[1], index=False, lineterminator="\n")
    return paths
