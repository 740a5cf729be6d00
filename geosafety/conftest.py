"""Test-session support for the docstring examples (pytest only; not part of the library).

Docstring examples that call ``assess()`` with no arguments show the real default run. It
takes seconds, so the session computes it once (:func:`default_run`) and shares it with the
tests in ``tests/`` (whose ``default_result`` fixture asks for the same run).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from geosafety.io.cache import cache_at

_DEFAULT_RUN = pytest.StashKey[Any]()


def default_run(config: pytest.Config) -> Any:
    """Return the default assessment (bundled Sefton data), computed once per session."""
    if _DEFAULT_RUN not in config.stash:
        import geosafety

        config.stash[_DEFAULT_RUN] = geosafety.assess()
    return config.stash[_DEFAULT_RUN]


@pytest.fixture(autouse=True)
def _shared_default_run(request: pytest.FixtureRequest,
                        doctest_namespace: dict[str, Any]) -> None:
    """In docstring examples, ``assess()`` with no arguments returns the session's run."""
    import geosafety

    def assess(*args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return geosafety.assess(*args, **kwargs)
        return default_run(request.config)

    doctest_namespace["assess"] = assess


@pytest.fixture(scope="session", autouse=True)
def _session_read_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the read cache in the session's temporary folder, never in the user's own."""
    with cache_at(tmp_path_factory.mktemp("read-cache")):
        yield
