"""API models for exports."""

from app.core.schemas import PublicModel
from app.exports.service import Dataset, Format


class Checksum(PublicModel):
    dataset: Dataset
    format: Format
    sha256: str
    bytes: int
    data_version: str
