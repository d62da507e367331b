"""API models for exports."""

from pydantic import Field

from app.core.schemas import PublicModel


class ChecksumRead(PublicModel):
    dataset: str = Field(description="The table or document.")
    format: str = Field(description="csv or ndjson.")
    sha256: str
    bytes: int
    data_version: str = Field(description="The public data version the file was made at.")
