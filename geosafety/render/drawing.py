"""Saving figures: the formats asked for, notes wrapped before drawing, drawn in parallel.

Every chart and print-ready map is drawn by a function that takes the figure's ``path``,
draws a matplotlib ``Figure`` and hands it to :func:`save_figure`, which writes a PNG and,
when asked, an SVG beside it (``--formats png,svg``). Writers call such functions through
:func:`draw`: inside a :func:`drawing` block the figure is drawn by a pool of worker
processes while the caller goes on writing tables and maps, and the block ends only when
every figure is on disk; outside one, the figure is drawn at once. Either way the caller
gets the figure's paths straight away, in the order it asked for them.

Drawing a long note with matplotlib's ``wrap=True`` measures the text again and again as
the figure is laid out; :func:`figure_note` wraps it once, by characters, instead.
"""

from __future__ import annotations

import io
import logging
import textwrap
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from geosafety._errors import InvalidOptionError
from geosafety._processes import can_start_processes, process_pool, usable_cores

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.text import Text

logger = logging.getLogger(__name__)

#: File formats a figure can be written in; the first is always written.
FIGURE_FORMATS = ("png", "svg")
#: Written unless others are asked for.
DEFAULT_FORMATS = ("png",)
#: Most worker processes drawing figures at once (each holds matplotlib and geopandas).
MAX_PROCESSES = 8
#: Average width of a character of DejaVu Sans, in ems, for wrapping notes; slightly wide,
#: so that a line of capitals and digits still fits.
_CHARACTER_EMS = 0.56


def figure_formats(formats: str | Sequence[str] | None) -> tuple[str, ...]:
    """Check figure formats (``"png,svg"`` or a list); PNG is always among them.

    Raises
    ------
    InvalidOptionError
        Naming an unknown format and the known ones.

    Examples
    --------
    >>> figure_formats("svg"), figure_formats(["png", "svg"]), figure_formats(None)
    (('png', 'svg'), ('png', 'svg'), ('png',))
    """
    if formats is None:
        return DEFAULT_FORMATS
    asked = formats.split(",") if isinstance(formats, str) else list(formats)
    chosen = [f.strip().lower().lstrip(".") for f in asked if f.strip()]
    unknown = [f for f in chosen if f not in FIGURE_FORMATS]
    if unknown:
        raise InvalidOptionError(f"figure format(s) {unknown} not known; choose from "
                                 f"{list(FIGURE_FORMATS)} (PNG is always written)")
    return tuple(f for f in FIGURE_FORMATS if f == "png" or f in chosen)


@dataclass
class _Drawing:
    """The figure formats in force, and the pool drawing figures (None: draw at once)."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    pool: ProcessPoolExecutor | None = None
    pending: list[Future] = field(default_factory=list)


_CURRENT: ContextVar[_Drawing | None] = ContextVar("geosafety_drawing", default=None)


def _current() -> _Drawing:
    """Return the drawing in force (outside any :func:`drawing` block: PNG, drawn now)."""
    return _CURRENT.get() or _Drawing()


def figure_paths(path: Path) -> list[Path]:
    """Return the files a figure drawn to ``path`` is written as, PNG first.

    Examples
    --------
    >>> [p.name for p in figure_paths(Path("trend_all-crime.png"))]
    ['trend_all-crime.png']
    """
    return [path.with_suffix(f".{kind}") for kind in _current().formats]


#: zlib level of the palette PNGs: 6 (zlib's default) writes in a sixth of the time of 9
#: for files about 5% larger.
PNG_COMPRESSION = 6


def palette_png(path: Path) -> bytes:
    """Return the image at ``path`` as an up-to-256-colour PNG.

    Charts and choropleths have few colours, so the palette PNG looks the same at about a
    third of the size.
    """
    from PIL import Image

    with Image.open(path) as image:
        return _palette_bytes(image)


def _palette_bytes(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").quantize(256).save(buffer, "PNG", compress_level=PNG_COMPRESSION)
    return buffer.getvalue()


def figure_palette_png(fig: Figure) -> bytes:
    """Render ``fig`` and return it as a palette PNG (see :func:`palette_png`).

    The figure is drawn once on an Agg canvas and quantised from its pixels: the same
    pixels a PNG written by ``savefig`` holds (at the figure's own resolution and colours,
    as this package's figures are saved), without ``savefig``'s second, layout-only pass
    over every artist (it makes one whenever ``tight_layout`` has been used) and without
    encoding a PNG and decoding it again.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    return _palette_bytes(Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(),
                                           "raw", "RGBA", 0, 1))


def save_figure(fig: Figure, path: Path) -> list[Path]:
    """Write ``fig`` as ``path`` (PNG) and in the other formats in force; return the files.

    The PNG is written as a palette PNG (:func:`figure_palette_png`), ready for the report
    to embed; the SVG carries no creation date, so the same figure gives the same bytes.
    """
    written = figure_paths(path)
    for target in written:
        if target.suffix == ".png":
            target.write_bytes(figure_palette_png(fig))
        else:
            fig.savefig(target, metadata={"Date": None})
    return written


def figure_note(fig: Figure, text: str, *, x: float = 0.01, y: float = 0.01,
                fontsize: float = 6.5, **kwargs: Any) -> Text:
    """Write a note (source, method) at the foot of ``fig``, wrapped to the figure's width.

    The text is wrapped once, by characters, to the width between ``x`` and the right edge:
    the same lines as ``wrap=True`` gives for ordinary text, without measuring it at every
    layout pass.
    """
    width_points = fig.get_figwidth() * 72 * (1 - x - 0.01)
    characters = max(20, int(width_points / (fontsize * _CHARACTER_EMS)))
    return fig.text(x, y, textwrap.fill(text, characters), fontsize=fontsize, **kwargs)


def _draw_in_worker(formats: tuple[str, ...], func: Callable[..., list[Path]],
                    args: tuple, kwargs: dict) -> list[Path]:
    """Run one drawing in a worker process, with the caller's formats."""
    _CURRENT.set(_Drawing(formats))
    return func(*args, **kwargs)


def draw(func: Callable[..., list[Path]], *args: Any, path: Path, **kwargs: Any) -> list[Path]:
    """Draw a figure with ``func(*args, path=path, **kwargs)``; return the files it writes.

    Inside a :func:`drawing` block the figure is drawn by a worker process and the files are
    on disk when the block ends; otherwise it is drawn now.
    """
    current = _current()
    if current.pool is None:
        return func(*args, path=path, **kwargs)
    current.pending.append(current.pool.submit(_draw_in_worker, current.formats, func, args,
                                               {**kwargs, "path": path}))
    return figure_paths(path)


def drawing_processes() -> int:
    """Return how many processes draw figures: one per core, at most :data:`MAX_PROCESSES`.

    A process that may not start others (a Dask worker) draws its figures itself.
    """
    if not can_start_processes():
        return 1
    return max(1, min(usable_cores(), MAX_PROCESSES))


@contextmanager
def drawing(formats: str | Sequence[str] | None = None, *, processes: int | None = None,
            progress: bool = False) -> Iterator[None]:
    """Draw figures in the formats given, by ``processes`` worker processes, until the end.

    With ``processes=1`` every figure is drawn at once in this process. A block inside
    another shares the outer block's processes (or draws at once, if it has none), keeps its
    own formats and waits for its own figures only. When the block ends
    every figure asked for in it is written; the first error raised while drawing is raised
    here.

    Examples
    --------
    >>> with drawing("png,svg", processes=1):
    ...     [p.name for p in figure_paths(Path("funnel.png"))]
    ['funnel.png', 'funnel.svg']
    """
    outer = _CURRENT.get()
    chosen = figure_formats(formats)
    processes = drawing_processes() if processes is None else processes
    own_pool = None
    if outer is not None:  # the outer block's processes (or none) serve this one too
        pool = outer.pool
    elif processes > 1:
        pool = own_pool = process_pool(processes)
    else:
        pool = None
    current = _Drawing(chosen, pool)
    token = _CURRENT.set(current)
    try:
        yield
        _wait(current.pending, progress)
    except BaseException:
        for future in current.pending:
            future.cancel()
        raise
    finally:
        _CURRENT.reset(token)
        if own_pool is not None:
            own_pool.shutdown(wait=True, cancel_futures=True)


def _wait(pending: list[Future], progress: bool) -> None:
    """Wait for every figure; raise the first error any drawing raised."""
    if not pending:
        return
    logger.info("Drawing %d figures", len(pending))
    for future in tqdm(as_completed(pending), total=len(pending), desc="Drawing figures",
                       unit="figure", disable=not progress):
        future.result()
