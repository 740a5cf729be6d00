"""The run configuration (issue 13, part 1): geosafety init, assess --config, and checks."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

import geosafety
from geosafety import CONFIG_KEYS, EXAMPLE_CONFIG, InputFileError, load_config
from geosafety.cli import assess_command, main


def test_every_assess_option_has_a_configuration_key_and_no_key_is_spare():
    options = {p.name for p in assess_command.params} - {"config"}
    assert options == {key.option for key in CONFIG_KEYS}
    places = [(key.section, key.name) for key in CONFIG_KEYS]
    assert len(places) == len(set(places))


def test_the_bundled_example_configuration_is_what_init_writes_for_sefton():
    assert EXAMPLE_CONFIG.read_text() == geosafety.config_template("Sefton")


def _parse(*args: str) -> dict:
    """The values click gives the assess command for these arguments."""
    context = assess_command.make_context("assess", list(args))
    return {name: context.params[name] for name in context.params
            if context.get_parameter_source(name).name != "DEFAULT"}


#: The same choices written on the command line and in a configuration.
SAME = [
    (["--area", "Wirral", "--area", "Sefton"], '[assessment]\narea = ["Wirral", "Sefton"]'),
    (["--period", "2024/25"], '[assessment]\nperiod = "2024/25"'),
    (["--by", "quarter"], '[assessment]\nby = "quarter"'),
    (["--threshold", "10"], "[options]\nthreshold = 10"),
    (["--confidence", "99.8"], "[options]\nconfidence = 99.8"),
    (["--smooth", "spatial"], '[options]\nsmooth = "spatial"'),
    (["--nte-hours", "20-4"], '[options]\nnte_hours = "20-4"'),
    (["--nte-groups", "Violence against the person;Robbery"],
     '[options]\nnte_groups = ["Violence against the person", "Robbery"]'),
    (["--aoristic", "hours"], '[options]\naoristic = "hours"'),
    (["--max-window-hours", "48"], "[options]\nmax_window_hours = 48.0"),
    (["--no-maps"], "[output]\ndraw_maps = false"),
    (["--formats", "png,svg"], '[output]\nformats = ["png", "svg"]'),
    (["--workers", "2"], "[output]\nworkers = 2"),
    (["--scheduler", "tcp://10.0.0.5:8786"], '[output]\nscheduler = "tcp://10.0.0.5:8786"'),
    (["--no-examples"], "[inputs]\nexamples = false"),
    (["--examples"], "[inputs]\nexamples = true"),
    (["--no-cache"], "[output]\nread_cache = false"),
    (["-vv"], "[output]\nverbose = 2"),
    (["--quiet"], "[output]\nquiet = true"),
]


@pytest.mark.parametrize(("arguments", "toml"), SAME, ids=[a[0] for a, _ in SAME])
def test_a_configuration_key_and_its_option_agree(tmp_path, arguments, toml):
    path = tmp_path / "geosafety.toml"
    path.write_text(toml + "\n")
    assert load_config(path).values == _parse(*arguments)


def test_paths_are_relative_to_the_configuration_and_datasets_are_named(tmp_path):
    folder = tmp_path / "cssa"
    folder.mkdir()
    path = folder / "geosafety.toml"
    path.write_text('[inputs]\npolice_uk = ["downloads/", "dataset:police_uk_2025"]\n'
                    'counts = ["cjit:ward:partners/cjit.csv"]\nfire = "fire.xlsx"\n'
                    '[output]\ntables = "out"\n[columns.fire]\nincident_id = "IncNo"\n')
    config = load_config(path)
    assert config.values["data"] == (folder / "downloads", geosafety.get_path("police_uk_2025"))
    assert config.values["counts"] == (f"cjit:ward:{folder / 'partners/cjit.csv'}",)
    assert config.values["fire"] == (folder / "fire.xlsx",)
    assert config.values["out_dir"] == folder / "out"
    assert config.columns == {"fire": {"incident_id": "IncNo"}}
    # and the command line gives the same paths for the same files
    assert _parse("--fire", str(folder / "fire.xlsx"))["fire"] == config.values["fire"]


@pytest.mark.parametrize(("toml", "message"), [
    ("[options]\ntreshold = 5", r"\[options\] treshold: unknown key \(did you mean "
                                r"'threshold'\?\)"),
    ("[outputs]\ntables = 'x'", r"unknown section \[outputs\] \(did you mean \[output\]\?\)"),
    ("[options]\nthreshold = '5'", r"\[options\] threshold: expected a whole number, not '5'"),
    ("[options]\nthreshold = 1", r"\[options\] threshold: 1 is outside 2 to 100"),
    ("[options]\nsmooth = 'spacial'", r"\[options\] smooth: 'spacial' is not one of "
                                      r"\['global', 'spatial'\] \(did you mean 'spatial'\?\)"),
    ("[output]\ndraw_maps = 'no'", r"\[output\] draw_maps: expected true or false, not 'no'"),
    ("[inputs]\nmarac = 3", r"\[inputs\] marac: expected text or a list of text, not 3"),
    ("threshold = 5", r"key 'threshold' is outside any section"),
    ("[columns.marak]\ndate = 'D'", r"unknown section \[columns.marak\] \(did you mean "
                                    r"\[columns.marac\]\?\)"),
    ("[options\nthreshold = 5", r"is not a readable TOML configuration"),
])
def test_a_bad_configuration_names_the_file_the_key_and_the_fix(tmp_path, toml, message):
    path = tmp_path / "geosafety.toml"
    path.write_text(toml + "\n")
    with pytest.raises(InputFileError, match=r"geosafety\.toml: (.|\n)*" + message):
        load_config(path)


def test_init_refuses_to_overwrite_and_names_unknown_areas(tmp_path):
    path = tmp_path / "geosafety.toml"
    path.write_text("# mine\n")
    result = CliRunner().invoke(main, ["init", "--area", "Sefton", "--file", str(path)])
    assert result.exit_code == 2 and "exists" in result.output
    assert path.read_text() == "# mine\n"
    result = CliRunner().invoke(main, ["init", "--area", "Sefon", "--file",
                                       str(tmp_path / "other.toml")])
    assert result.exit_code == 2 and "Sefton" in result.output  # the closest name
    assert "Traceback" not in result.output


def test_init_for_another_area_leaves_its_inputs_to_fill_in(tmp_path):
    path = tmp_path / "wirral.toml"
    result = CliRunner().invoke(main, ["init", "--area", "Wirral", "--period", "2024/25",
                                       "--file", str(path)])
    assert result.exit_code == 0, result.output
    config = load_config(path)
    assert config.values["areas"] == ("Wirral",) and config.values["period"] == "2024/25"
    assert "data" not in config.values  # police_uk is written commented out


def test_init_then_assess_with_the_configuration_reproduces_the_default_run(
        tmp_path, default_written):
    folder, _ = default_written
    config = tmp_path / "geosafety.toml"
    assert CliRunner().invoke(main, ["init", "--area", "Sefton", "--file",
                                     str(config)]).exit_code == 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = CliRunner().invoke(main, ["assess", "--config", str(config), "--no-maps",
                                           "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output[-2000:]
    default = sorted(p.relative_to(folder / "out") for p in (folder / "out").rglob("*.csv"))
    again = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*.csv"))
    assert again == default and len(default) > 40
    different = [str(p) for p in default
                 if (folder / "out" / p).read_bytes() != (tmp_path / "out" / p).read_bytes()]
    assert different == []
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["configuration"]["text"] == EXAMPLE_CONFIG.read_text()
    assert manifest["settings"]["period"] == "2025" and len(manifest["inputs"]["trend"]) == 57
    assert "Manifest (inputs and outputs with SHA-256 digests)" in result.output


def test_a_command_line_option_wins_over_the_configuration(tmp_path, monkeypatch):
    calls = {}

    def assess(inputs, **kwargs):
        calls.update(kwargs, inputs=inputs)
        raise geosafety.NoRecordsInStudyAreaError("stop here")

    monkeypatch.setattr(geosafety, "assess", assess)
    config = Path(tmp_path / "geosafety.toml")
    config.write_text('[assessment]\nperiod = "2024"\n[options]\nthreshold = 7\n'
                      '[inputs]\nmarac = "m.csv"\n')
    result = CliRunner().invoke(main, ["assess", "--config", str(config), "--period", "2025"])
    assert result.exit_code == 2
    assert calls["period"] == "2025" and calls["options"].threshold == 7
    assert calls["inputs"].marac == [tmp_path / "m.csv"]


def test_the_manifest_records_inputs_outputs_and_whether_tables_changed(tmp_path,
                                                                        default_written):
    import hashlib
    import shutil

    folder, written = default_written
    out = tmp_path / "out"
    shutil.copytree(folder / "out", out)
    copies = [out / p.relative_to(folder / "out") for p in written
              if p.is_relative_to(folder / "out")]
    inputs = geosafety.Inputs(police_uk=geosafety.get_path("police_uk_2025"),
                              marac=geosafety.get_path("synthetic_marac"))
    path, first = geosafety.write_manifest(out, written=copies, inputs=inputs,
                                           config=EXAMPLE_CONFIG, settings={"threshold": 5})
    assert first["compared"] == {"previous_run": None}
    assert first["versions"]["geosafety"] == geosafety.__version__
    assert first["configuration"]["text"] == EXAMPLE_CONFIG.read_text()
    assert len(first["inputs"]["police_uk"]) == 12
    marac = first["inputs"]["marac"][str(geosafety.get_path("synthetic_marac"))]
    assert marac["sha256"] == hashlib.sha256(
        geosafety.get_path("synthetic_marac").read_bytes()).hexdigest()
    measures = first["outputs"]["measures_lsoa.csv"]
    assert measures["sha256"] == hashlib.sha256(
        (out / "measures_lsoa.csv").read_bytes()).hexdigest()
    # the same outputs again: identical; then one table changed
    _, again = geosafety.write_manifest(out, written=copies, inputs=inputs)
    assert again["compared"]["tables_identical"] is True
    assert again["compared"]["previous_run"] == first["created"]
    (out / "measures_ward.csv").write_text("changed\n")
    _, changed = geosafety.write_manifest(out, written=copies, inputs=inputs)
    assert changed["compared"]["tables_identical"] is False
    assert changed["compared"]["changed"] == ["measures_ward.csv"]
    assert json.loads(path.read_text())["compared"]["changed"] == ["measures_ward.csv"]
