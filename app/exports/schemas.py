"""API models for exports."""

from app.core.schemas import PublicModel
from app.exports.queries import Dataset
from app.exports.service import Format


class ChecksumRead(PublicModel):
    dataset: Dataset
    format: Format
    sha256: str
    bytes: int
    data_version: str
