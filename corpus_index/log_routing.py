"""Where a process's log records and Python warnings go: the console or a log file.

The console shows what the person who ran the command must see: this project's
own warnings, every error, and the line saying where the app is served. Library
chatter (torch's TracerWarnings during the ONNX export, faiss.loader's INFO
lines, Chainlit's notices) goes to a log file instead, or to the console as
well when verbose. The entry points route once at start (`python -m ingest`,
the Chainlit app's startup); library modules only log.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOG_DIR_ENV = "PORTFOLIO_LOG_DIR"
VERBOSE_ENV = "PORTFOLIO_VERBOSE"
DEFAULT_LOG_DIR = Path("logs")  # in the working folder, like index/
OWN_PACKAGES = ("ingest", "assistant", "corpus_index")
# Library INFO lines the console shows anyway: (logger, start of the message).
ANNOUNCEMENTS = (("chainlit", "Your app is available at"),)
MAX_LOG_BYTES = 1_000_000  # then the file is renamed to *.1 (one kept) and a new one begun


def log_dir_from_env() -> Path:
    """The folder log files go to: $PORTFOLIO_LOG_DIR, else logs/ in the working folder."""
    return Path(os.environ.get(LOG_DIR_ENV) or DEFAULT_LOG_DIR)


def verbose_from_env() -> bool:
    """Whether $PORTFOLIO_VERBOSE asks for library logs on the console too."""
    return os.environ.get(VERBOSE_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def is_own(logger_name: str) -> bool:
    """Whether a logger belongs to this project rather than to a library."""
    return any(logger_name == package or logger_name.startswith(package + ".")
               for package in OWN_PACKAGES)


def is_announcement(logger_name: str, level: int, message: str) -> bool:
    """Whether a record is one of the library INFO lines in ANNOUNCEMENTS."""
    return level == logging.INFO and any(
        logger_name == name and message.startswith(start) for name, start in ANNOUNCEMENTS)


def shows_on_console(logger_name: str, level: int, message: str, *, verbose: bool) -> bool:
    """Whether a record goes to the console (it always goes to the log file)."""
    if level >= logging.ERROR or (level >= logging.WARNING and is_own(logger_name)):
        return True
    if verbose:
        return level >= logging.INFO
    return is_announcement(logger_name, level, message)


class _ConsoleFilter(logging.Filter):
    def __init__(self, verbose: bool) -> None:
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        return shows_on_console(record.name, record.levelno, record.getMessage(),
                                verbose=self.verbose)


class _ConsoleFormat(logging.Formatter):
    """An announcement bare; anything else as `warning: …`, naming a library's logger."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        if is_announcement(record.name, record.levelno, record.message):
            return record.message
        source = "" if is_own(record.name) else f" ({record.name})"
        return f"{record.levelname.lower()}{source}: {record.message}"


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record arrives (a test may have swapped it),
    above the embedding's progress bar rather than into it."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass

    def emit(self, record: logging.LogRecord) -> None:
        from tqdm import tqdm

        try:
            tqdm.write(self.format(record), file=sys.stderr)  # clears and redraws any bar
        except Exception:  # logging's contract: a handler never raises
            self.handleError(record)


class _CountHidden(logging.Filter):
    """Counts the warnings and errors that reach only the log file; lets every record pass."""

    def __init__(self, verbose: bool) -> None:
        super().__init__()
        self.verbose = verbose
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING and not shows_on_console(
                record.name, record.levelno, record.getMessage(), verbose=self.verbose):
            self.count += 1
        return True


@dataclass(frozen=True)
class LogRoute:
    """Where this process's logs go, once routed."""

    log_file: Path
    verbose: bool
    _hidden: _CountHidden

    @property
    def hidden_warnings(self) -> int:
        """Library warnings written to the log file and not shown on the console."""
        return self._hidden.count


def route_logs(log_file: Path, *, verbose: bool) -> LogRoute:
    """Send this process's logs and warnings to the console and `log_file` (see module doc).

    Replaces the root logger's handlers (Chainlit's CLI installs one printing every INFO
    line to stdout), so calling it again re-routes rather than doubling the output.
    """
    root = logging.getLogger()
    for handler in root.handlers[:]:
        root.removeHandler(handler)
        if isinstance(handler, (logging.FileHandler, _Stderr)):
            handler.close()
    root.setLevel(logging.INFO)
    console = _Stderr()
    console.addFilter(_ConsoleFilter(verbose))
    console.setFormatter(_ConsoleFormat())
    root.addHandler(console)
    hidden = _CountHidden(verbose)
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        # Opened on the first record: a run with nothing to log leaves no empty file.
        file = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=MAX_LOG_BYTES, backupCount=1, encoding="utf-8", delay=True)
        if not os.access(log_file.parent, os.W_OK):
            raise PermissionError(f"{log_file.parent} is not writable")
    except OSError as exc:
        logging.getLogger(__name__).warning(
            "cannot write the log file %s (%s); library logs are not kept (%s=1 shows them"
            " here)", log_file, exc, VERBOSE_ENV)
    else:
        file.addFilter(hidden)
        file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(file)
    logging.captureWarnings(True)  # warnings.warn → the "py.warnings" logger → routed as above
    return LogRoute(log_file, verbose, hidden)


@contextmanager
def routed_logs(log_file: Path, *, verbose: bool) -> Iterator[LogRoute]:
    """`route_logs` for the length of a `with` block; the previous set-up is put back after.

    For a command that may run inside another process (a test calling the CLI's `main`).
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield route_logs(log_file, verbose=verbose)
    finally:
        logging.captureWarnings(False)
        for handler in root.handlers[:]:
            root.removeHandler(handler)
            handler.close()
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)


def route_app_logs() -> None:
    """Route the Chainlit app's logs: to $PORTFOLIO_LOG_DIR/app.log, verbose if asked."""
    route_logs(log_dir_from_env() / "app.log", verbose=verbose_from_env())


def adopt_transformers_logs() -> None:
    """Hand transformers' log records to the routing above, and drop its progress bars.

    transformers prints through a stderr handler of its own that bypasses the root
    logger, installed when it is imported: call this after importing it.
    """
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # ours shows the embedding's progress
    transformers_logging.disable_default_handler()
    transformers_logging.enable_propagation()
