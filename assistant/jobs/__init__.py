"""Job descriptions: reading one from a file, telling one from a question, and
extracting the requirements it states (the first stage of matching a job to the portfolio)."""

from .detect import looks_like_job_description
from .errors import JobFileError
from .job_file import read_job_file
from .requirements import Requirement, extract_requirements

__all__ = [
    "JobFileError",
    "Requirement",
    "extract_requirements",
    "looks_like_job_description",
    "read_job_file",
]
