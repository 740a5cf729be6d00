"""When crime happens: weekday x hour profiles, night-time economy crime by area, flags.

Built on a police force extract read by :func:`~geosafety.io.read_force_crimes`:

* **Profiles**: each offence's weight of 1 is shared over the hours of its window
  (:mod:`geosafety.measures.aoristic`) and added up by weekday and hour block, so "the most
  prevalent hour band" and "share at weekends" count uncertain offences fairly. Windows longer than
  ``max_hours`` (a week by default) say nothing about the hour and are left out of the
  profiles; how many is reported.
* **Night-time economy (NTE) crime**: violence against the person and criminal damage in
  18:00-03:59 by default (both configurable, see :class:`NightTime`). An offence counts in an
  area by the share of its window inside those hours, so area counts add up exactly to the
  night-time cells of the profile.
* **Flags**: counts of each flag, and of each pair of flags, within violence against the
  person and within all offences.
* **Periods**: offences belong to the period of their "committed from" date; financial years
  run April-March.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pandas as pd

from geosafety._errors import InvalidOptionError, NoRecordsInPeriodError
from geosafety.geography import AREA_COLUMNS, IN_AREA, Placement, StudyArea
from geosafety.io.force_crime import DATE_ONLY, EXACT, WINDOW
from geosafety.io.offences import ALL_OFFENCES, CRIMINAL_DAMAGE, FLAGS, VIOLENCE
from geosafety.io.plausibility import warn_far_from_period
from geosafety.measures.aoristic import (
    MAX_HOURS,
    WEEKDAYS,
    aoristic_weights,
    hour_band,
    in_hours,
    week_profile,
)
from geosafety.measures.by_area import area_measures
from geosafety.measures.crime import RATE_PER
from geosafety.measures.periods import Period, period_coverage, period_label

#: How time windows can be shared among hours (see :mod:`geosafety.measures.aoristic`).
AORISTIC_METHODS = ("minutes", "hours")


@dataclass(frozen=True)
class NightTime:
    """What counts as night-time economy crime.

    Attributes
    ----------
    groups : tuple of str
        Offence groups (see :mod:`geosafety.io.offences`).
    first_hour, last_hour : int
        The hours, ``first_hour:00`` to ``last_hour:59``, wrapping past midnight.
    """

    groups: tuple[str, ...] = (VIOLENCE, CRIMINAL_DAMAGE)
    first_hour: int = 18
    last_hour: int = 3

    def __post_init__(self) -> None:
        """Check the hours."""
        for hour in (self.first_hour, self.last_hour):
            if not 0 <= hour <= 23:
                raise InvalidOptionError(f"Night-time hours must be 0-23, not {hour!r}.")

    @property
    def hours(self) -> str:
        """The hours in words, e.g. ``"18:00-03:59"``."""
        return f"{self.first_hour:02d}:00-{self.last_hour:02d}:59"

    @property
    def name(self) -> str:
        """The profile name of the NTE offence groups, e.g. "Violence and criminal damage"."""
        if len(self.groups) == 1:
            return self.groups[0]
        short = {VIOLENCE: "violence", CRIMINAL_DAMAGE: "criminal damage"}
        words = [short.get(g, g.lower()) for g in self.groups]
        text = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        return text[0].upper() + text[1:]


@dataclass
class TimeOfDay:
    """The time-of-day picture of one force extract over one period."""

    source: str
    synthetic: bool
    period: Period
    night: NightTime
    method: str
    max_hours: float
    crimes: pd.DataFrame = field(repr=False)
    weights: pd.DataFrame = field(repr=False)
    profiles: dict[str, pd.DataFrame] = field(repr=False)
    nte_measures: dict[str, pd.DataFrame] = field(repr=False)
    flags: pd.DataFrame = field(repr=False)
    flag_pairs: pd.DataFrame = field(repr=False)
    timing: pd.DataFrame = field(repr=False)
    placement: pd.Series = field(repr=False)
    by_financial_year: pd.DataFrame = field(repr=False)
    offences: pd.DataFrame = field(repr=False)
    statements: pd.DataFrame = field(repr=False)

    @property
    def nte_categories(self) -> list[str]:
        """The NTE map categories, the combined one first."""
        present = set(self.nte_measures["lsoa"]["category"])
        combined = f"{self.night.name}, {self.night.hours}"
        return [combined] + sorted(present - {combined})


def _profiles(crimes: pd.DataFrame, weights: pd.DataFrame,
              night: NightTime) -> dict[str, pd.DataFrame]:
    group_of = weights["record"].map(crimes["offence_group"])
    profiles = {ALL_OFFENCES: week_profile(weights),
                night.name: week_profile(weights[group_of.isin(night.groups)])}
    for group in sorted(crimes["offence_group"].unique()):
        profiles[group] = week_profile(weights[group_of == group])
    violent = weights["record"].map(crimes["flag_alcohol"]) & (group_of == VIOLENCE)
    if violent.any():
        profiles[f"{VIOLENCE}, alcohol flagged"] = week_profile(weights[violent])
    return profiles


def _nights(weights: pd.DataFrame, night: NightTime) -> pd.Series:
    """Weight in the night-time hours per record."""
    inside = in_hours(weights["hour"], night.first_hour, night.last_hour)
    return weights["weight"].where(inside, 0.0).groupby(weights["record"]).sum()


def _nte_measures(crimes: pd.DataFrame, night_weight: pd.Series, area: StudyArea,
                  night: NightTime, period: Period, confidence: float,
                  ) -> dict[str, pd.DataFrame]:
    nte = crimes[crimes["offence_group"].isin(night.groups)]
    nte = nte.assign(nte_weight=night_weight.reindex(nte.index, fill_value=0.0))
    title = f"{night.name}, {night.hours}"
    events = [nte.assign(category=title)]
    if len(night.groups) > 1:
        events += [nte[nte["offence_group"] == g].assign(category=f"{g}, {night.hours}")
                   for g in night.groups]
    events = pd.concat(events).assign(period=period.label)
    out = {}
    for level, column in AREA_COLUMNS.items():
        placed = events[events[column].notna()]
        out[level] = area_measures(placed, area.areas(level), area_col=column, per=RATE_PER,
                                   weight="nte_weight", confidence=confidence)
    return out


def _flag_tables(crimes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, pairs = [], []
    for scope, subset in ((VIOLENCE, crimes[crimes["offence_group"] == VIOLENCE]),
                          (ALL_OFFENCES, crimes)):
        total = len(subset)
        flags = subset[[f"flag_{f}" for f in FLAGS]].set_axis(list(FLAGS), axis=1)
        for flag in FLAGS:
            count = int(flags[flag].sum())
            rows.append({"scope": scope, "flag": flag, "count": count, "offences": total,
                         "share": count / total if total else float("nan")})
        none = int((~flags.any(axis=1)).sum())
        rows.append({"scope": scope, "flag": "(no flag)", "count": none, "offences": total,
                     "share": none / total if total else float("nan")})
        for a, b in itertools.combinations(FLAGS, 2):
            count = int((flags[a] & flags[b]).sum())
            pairs.append({"scope": scope, "flag_a": a, "flag_b": b, "count": count,
                          "offences": total, "share": count / total if total else float("nan")})
    return pd.DataFrame(rows), pd.DataFrame(pairs)


def _share(part: float, whole: float) -> float:
    return part / whole if whole else float("nan")


def describe_profile(name: str, profile: pd.DataFrame, offences: int, night: NightTime,
                     period: Period) -> list[dict]:
    """Citable statements about one weekday x hour profile.

    Weekend means Saturday and Sunday (00:00-23:59); "Friday and Saturday nights" means
    the night-time hours that begin on a Friday or a Saturday evening.
    """
    total = float(profile.to_numpy().sum())
    if total == 0:
        return []
    bands = profile.sum(axis=0)
    days = profile.sum(axis=1)
    peak_day, peak_hour = profile.stack().idxmax()
    hours = pd.Series(range(24))
    night_hours = hours[in_hours(hours, night.first_hour, night.last_hour)].tolist()
    late = [h for h in night_hours if h < night.first_hour]  # after midnight
    evening = [h for h in night_hours if h >= night.first_hour]
    night_total = float(profile[night_hours].to_numpy().sum())
    weekend = float(days[["Saturday", "Sunday"]].sum())
    fri_sat_nights = float(profile.loc[["Friday", "Saturday"], evening].to_numpy().sum()
                           + profile.loc[["Saturday", "Sunday"], late].to_numpy().sum())
    facts = [
        ("offences", offences, f"{offences:,} offences ({name.lower()}) in "
                               f"{period.describe()}; {total:,.1f} allocated to hours"),
        ("most prevalent hour band", hour_band(int(bands.idxmax())),
         f"The most prevalent hour band was {hour_band(int(bands.idxmax()))} "
         f"({bands.max():,.1f} offences, {_share(bands.max(), total):.1%})"),
        ("peak weekday and hour", f"{peak_day} {hour_band(int(peak_hour))}",
         f"The peak hour of the week was {peak_day} {hour_band(int(peak_hour))} "
         f"({profile.loc[peak_day, peak_hour]:,.1f} offences)"),
        ("busiest weekday", str(days.idxmax()),
         f"The busiest day was {days.idxmax()} ({_share(days.max(), total):.1%})"),
        ("share at weekends", round(_share(weekend, total), 4),
         f"{_share(weekend, total):.0%} at weekends (Saturday and Sunday)"),
        ("share in night-time hours", round(_share(night_total, total), 4),
         f"{_share(night_total, total):.0%} between {night.hours}"),
        ("share on Friday and Saturday nights", round(_share(fri_sat_nights, total), 4),
         f"{_share(fri_sat_nights, total):.0%} on Friday and Saturday nights "
         f"({night.hours} starting on a Friday or Saturday)"),
    ]
    return [{"profile": name, "measure": m, "value": value, "statement": text}
            for m, value, text in facts]


def assess_time_of_day(
    crimes: pd.DataFrame,
    area: StudyArea,
    period: Period,
    *,
    source: str,
    synthetic: bool = False,
    night: NightTime | None = None,
    method: str = "minutes",
    max_hours: float = MAX_HOURS,
    confidence: float = 0.95,
) -> TimeOfDay:
    """Profile a force extract by weekday and hour, map NTE crime and count flags.

    Parameters
    ----------
    crimes : pandas.DataFrame
        From :func:`~geosafety.io.read_force_crimes`.
    area : StudyArea
    period : Period
        Offences whose "committed from" date falls in it are analysed.
    source : str
        How outputs name the source (with its SYNTHETIC label where it applies).
    synthetic : bool
        Whether the extract is made-up example data.
    night : NightTime, optional
        Default: violence and criminal damage, 18:00-03:59.
    method : {"minutes", "hours"}
        Aoristic sharing (see :mod:`geosafety.measures.aoristic`).
    max_hours : float
        Longest window allocated to hours.
    confidence : float
        Level of the NTE rates' intervals (counts are sums of aoristic shares, so the
        Poisson interval is approximate).

    Returns
    -------
    TimeOfDay

    Raises
    ------
    NoRecordsInPeriodError
        If no offence falls in the period and the study area.
    """
    night = night or NightTime()
    in_period = period.contains(crimes["month"])
    warn_far_from_period(crimes, "month", "force crime records", start=period.start,
                         end=period.end)
    placed = crimes["placement"].isin(IN_AREA)
    placement = crimes["placement"].where(in_period, Placement.OUTSIDE_PERIOD).value_counts()
    chosen = crimes[in_period & placed]
    if chosen.empty:
        raise NoRecordsInPeriodError(
            f"No offence in the force extract falls in {period.label} ({period.describe()}) "
            f"and in {area.name}; the extract covers {crimes['month'].min()} to "
            f"{crimes['month'].max()}. Choose the period with --period.",
            source="the police force crime extract")
    weights = aoristic_weights(chosen["committed_from"], chosen["committed_to"],
                               method=method, max_hours=max_hours)
    allocated = chosen.index.isin(weights["record"])
    timing = pd.DataFrame({
        "offences": chosen.groupby("time_known").size().reindex([EXACT, WINDOW, DATE_ONLY],
                                                                 fill_value=0)})
    timing.loc[f"window longer than {max_hours:g} hours (left out of the profiles)"] = int(
        (~allocated).sum())
    profiles = _profiles(chosen, weights, night)
    statements = []
    for name in dict.fromkeys((ALL_OFFENCES, night.name, VIOLENCE, CRIMINAL_DAMAGE)):
        if name in profiles:
            count = len(chosen) if name == ALL_OFFENCES else int(
                chosen["offence_group"].isin(night.groups if name == night.name else [name])
                .sum())
            statements += describe_profile(name, profiles[name], count, night, period)
    flags, pairs = _flag_tables(chosen)
    by_fy = crimes[placed].assign(period=period_label(crimes.loc[placed, "month"],
                                                       "financial-year"))
    coverage = period_coverage(crimes.loc[placed, "month"], "financial-year")
    table = by_fy.groupby(["period", "offence_group"]).size().rename("offences").reset_index()
    table = table.join(coverage[["months_present", "complete"]], on="period")
    offences = (chosen.groupby(["offence_group", "offence"]).size().rename("offences")
                .reset_index().sort_values(["offence_group", "offences"],
                                           ascending=[True, False]))
    return TimeOfDay(
        source=source, synthetic=synthetic, period=period, night=night, method=method,
        max_hours=max_hours, crimes=chosen, weights=weights, profiles=profiles,
        nte_measures=_nte_measures(chosen, _nights(weights, night), area, night, period,
                                   confidence),
        flags=flags, flag_pairs=pairs, timing=timing.rename_axis("time recorded as")
        .reset_index(), placement=placement, by_financial_year=table, offences=offences,
        statements=pd.DataFrame(statements))


def profile_table(profiles: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """All profiles as one tidy table: profile, weekday, hour, hour band, offences, share."""
    frames = []
    for name, profile in profiles.items():
        long = profile.stack().rename("offences").reset_index()
        long["weekday"] = pd.Categorical(long["weekday"], WEEKDAYS, ordered=True)
        long.insert(0, "profile", name)
        long.insert(3, "hour_band", long["hour"].map(hour_band))
        total = long["offences"].sum()
        long["share"] = long["offences"] / total if total else float("nan")
        frames.append(long)
    return pd.concat(frames, ignore_index=True)
