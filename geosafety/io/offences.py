"""Offence groups and crime flags in police force extracts.

Force extracts name offences by their Home Office description ("Assault occasioning actual
bodily harm", "Criminal damage to a vehicle"), sometimes with the Home Office offence group
beside them. Each record is put in one **offence group**, following the Home Office
police recorded crime groups with theft split the way police.uk splits it:

Violence against the person, Sexual offences, Robbery, Burglary, Vehicle offences, Theft,
Criminal damage and arson, Drug offences, Possession of weapons offences, Public order
offences, Miscellaneous crimes against society; anything else is "Other offences" and is
listed in the outputs so an analyst can check it.

The rules are keywords, tried in the order of :data:`GROUP_RULES` (the first match wins), so
"Sexual assault on a female" is a sexual offence, "Assault with intent to rob" a robbery and
"Racially aggravated criminal damage" criminal damage.

**Flags** (markers, qualifiers) forces attach to crimes: alcohol, domestic, hate, knife,
drugs and stranger. They come either as one yes/no column per flag or as one column listing
codes ("DA; ALC"); :data:`FLAG_CODES` gives the codes understood.
"""

from __future__ import annotations

import re

import pandas as pd

VIOLENCE = "Violence against the person"
CRIMINAL_DAMAGE = "Criminal damage and arson"
OTHER = "Other offences"
ALL_OFFENCES = "All offences"

#: (group, pattern) in the order they are tried.
GROUP_RULES: tuple[tuple[str, str], ...] = (
    ("Robbery", r"robbery|intent to rob"),
    ("Sexual offences", r"rape|sexual|indecent|voyeurism|grooming|child sex|exposure"),
    ("Burglary", r"burglary"),
    (CRIMINAL_DAMAGE, r"criminal damage|arson|damage to|damaging"),
    ("Public order offences", r"public order|affray|violent disorder|\briot|alarm or distress"
                              r"|fear or provocation|stirring up"),
    ("Possession of weapons offences", r"possession of (an? )?(offensive )?weapon"
                                       r"|article with (a )?blade|bladed article|firearm"
                                       r"|offensive weapon"),
    (VIOLENCE, r"murder|manslaughter|homicide|assault|wounding|grievous|bodily harm|\bgbh\b"
               r"|\babh\b|battery|harassment|stalking|threat|malicious communication"
               r"|coercive|controlling|kidnap|false imprisonment|cruelty|violence"
               r"|death by|serious injury by|strangulation|suffocation"),
    ("Drug offences", r"drug|controlled substance|cannabis|cocaine|heroin|psychoactive"),
    ("Vehicle offences", r"vehicle|motor|taking without consent|\btwoc\b|aggravated taking"),
    ("Theft", r"theft|shoplifting|stealing|stolen|making off|\bthief|bicycle"),
    ("Miscellaneous crimes against society", r"miscellaneous|perverting|perjury|bail"
                                             r"|obscene|bigamy|forgery|fraud|trafficking"),
)
GROUPS = tuple(name for name, _ in GROUP_RULES) + (OTHER,)
_COMPILED = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in GROUP_RULES)

FLAGS = ("alcohol", "domestic", "hate", "knife", "drugs", "stranger")
#: Codes and words meaning each flag in a combined flags column (compared in lower case).
FLAG_CODES: dict[str, tuple[str, ...]] = {
    "alcohol": ("alcohol", "alc", "alcohol related", "alcohol-related"),
    "domestic": ("domestic", "da", "dom", "domestic abuse", "domestic violence", "dv"),
    "hate": ("hate", "hc", "hate crime", "hate incident"),
    "knife": ("knife", "kni", "knf", "knife crime", "bladed", "sharp instrument", "blade"),
    "drugs": ("drugs", "drug", "drg", "drug related", "drugs related"),
    "stranger": ("stranger", "str", "stranger attack", "stranger violence"),
}
_CODE_TO_FLAG = {code: flag for flag, codes in FLAG_CODES.items() for code in codes}
_TRUE = {"y", "yes", "true", "t", "1", "x", "flagged", "flag"}
_FALSE = {"", "n", "no", "false", "f", "0", "not flagged", "-"}


def offence_group(description: str) -> str:
    """Return the offence group of a Home Office offence description or group name.

    Examples
    --------
    >>> offence_group("Assault occasioning actual bodily harm")
    'Violence against the person'
    >>> offence_group("Sexual assault on a female aged 13 and over")
    'Sexual offences'
    >>> offence_group("Racially or religiously aggravated criminal damage")
    'Criminal damage and arson'
    >>> offence_group("Violent disorder"), offence_group("Dangerous dogs")
    ('Public order offences', 'Other offences')
    """
    text = str(description)
    for name, pattern in _COMPILED:
        if pattern.search(text):
            return name
    return OTHER


def offence_groups(descriptions: pd.Series, groups: pd.Series | None = None) -> pd.Series:
    """Return the offence group of every record: from its group column when that names one.

    Parameters
    ----------
    descriptions : pandas.Series of str
        Offence descriptions.
    groups : pandas.Series of str, optional
        A Home Office offence group (or police.uk crime type) column; where it matches a
        group it wins, otherwise the description decides.

    Examples
    --------
    >>> offence_groups(pd.Series(["Common assault", "Rape of a female", "Dog fouling"]),
    ...                pd.Series(["Violence and sexual offences"] * 2 + ["Public order"])
    ...                ).tolist()
    ['Violence against the person', 'Sexual offences', 'Public order offences']
    """
    by_description = descriptions.map(offence_group)
    if groups is None:
        return by_description
    merged = groups.fillna("").astype(str).str.contains("violence and sexual", case=False)
    by_group = groups.map(lambda g: offence_group(g) if str(g).strip() else OTHER)
    by_group = by_group.where(~merged, OTHER)  # police.uk's merged type: the description decides
    return by_group.where(by_group != OTHER, by_description)


def is_flag_value(values: pd.Series) -> pd.Series:
    """Return True for cells a yes/no flag column may hold.

    Examples
    --------
    >>> is_flag_value(pd.Series(["Y", "no", "", "maybe"])).tolist()
    [True, True, True, False]
    """
    text = values.fillna("").astype(str).str.strip().str.lower()
    return text.isin(_TRUE | _FALSE)


def flag_values(values: pd.Series) -> pd.Series:
    """Read a yes/no flag column (Y/N, yes/no, true/false, 1/0, x or empty) as booleans.

    Examples
    --------
    >>> flag_values(pd.Series(["Y", "n", "", "1", "TRUE"])).tolist()
    [True, False, False, True, True]
    """
    return values.fillna("").astype(str).str.strip().str.lower().isin(_TRUE)


def split_flag_codes(values: pd.Series) -> tuple[pd.DataFrame, set[str]]:
    """Read a combined flags column ("DA; ALC") into one boolean column per flag.

    Returns
    -------
    flags : pandas.DataFrame
        One boolean column per flag in :data:`FLAGS`.
    unknown : set of str
        Codes not understood (other markers forces use); they are ignored.

    Examples
    --------
    >>> flags, unknown = split_flag_codes(pd.Series(["DA; ALC", "knife|CSE", ""]))
    >>> flags[["alcohol", "domestic", "knife"]].to_numpy().tolist(), sorted(unknown)
    ([[True, True, False], [False, False, True], [False, False, False]], ['cse'])
    """
    tokens = values.fillna("").astype(str).str.lower().str.split(r"\s*[;,|/+]\s*", regex=True)
    unknown: set[str] = set()
    rows = []
    for items in tokens:
        found = set()
        for item in (t.strip() for t in items):
            if not item:
                continue
            if item in _CODE_TO_FLAG:
                found.add(_CODE_TO_FLAG[item])
            else:
                unknown.add(item)
        rows.append([flag in found for flag in FLAGS])
    return pd.DataFrame(rows, index=values.index, columns=list(FLAGS), dtype=bool), unknown
