"""Reading a job description from a file a recruiter uploads: plain text, Markdown or PDF."""

from __future__ import annotations

import io
from pathlib import Path

from .errors import JobFileError

MAX_CHARS = 20_000
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
PDF_SUFFIX = ".pdf"
_PDF_MAGIC = b"%PDF-"
# Read no more than this from disk: a text over MAX_CHARS is refused anyway, and a PDF
# holding 20,000 characters of text is far smaller than this.
_MAX_BYTES = 20 * 1024 * 1024


def read_job_file(path: Path, name: str | None = None) -> str:
    """The text of the job description in `path` (.txt, .md or .pdf).

    `name` is the file's own name where it differs from `path` (a chat upload is stored
    under a random one): its suffix tells the kind and messages name it.

    Raises:
        JobFileError: the file is missing, is not text or PDF (by suffix or by content),
            cannot be decoded, is a PDF without a text layer, or holds over 20,000 characters.
    """
    shown = Path(name) if name else path
    suffix = shown.suffix.lower()
    if suffix not in TEXT_SUFFIXES and suffix != PDF_SUFFIX:
        raise JobFileError(f"{shown}: not a text or PDF file; use .txt, .md or .pdf")
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise JobFileError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > _MAX_BYTES:
        raise JobFileError(f"{shown}: the file is over {_MAX_BYTES // (1024 * 1024)} MB")
    text = _pdf_text(shown, data) if suffix == PDF_SUFFIX else _plain_text(shown, data)
    if len(text) > MAX_CHARS:
        raise JobFileError(
            f"{shown}: {len(text):,} characters is more than {MAX_CHARS:,}; paste the relevant part"
        )
    return text


def _plain_text(path: Path, data: bytes) -> str:
    if data.startswith(_PDF_MAGIC):
        raise JobFileError(f"{path}: the content is a PDF; rename it to .pdf")
    if b"\x00" in data:
        raise JobFileError(f"{path}: the content is binary, not text; paste the text instead")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JobFileError(
            f"{path}: byte {exc.start} is not UTF-8; save the file as UTF-8 text"
        ) from None


def _pdf_text(path: Path, data: bytes) -> str:
    if not data.startswith(_PDF_MAGIC):
        raise JobFileError(f"{path}: the content is not a PDF although the name ends in .pdf")
    # Imported here so the rest of the package works where pypdf is not installed.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise JobFileError(f"{path}: the PDF cannot be read ({exc})") from None
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text:
        raise JobFileError(f"{path}: the PDF has no text layer (a scan?): paste the text instead")
    return text
