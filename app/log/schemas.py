"""What the log's endpoints answer."""

from typing import Any

from pydantic import Field

from app.core.schemas import PublicModel
from app.log.models import LogLeaf


class LogKeyRead(PublicModel):
    origin: str = Field(description="The log's name, the first line of every checkpoint.")
    verifier_key: str = Field(description="name+key id+base64(0x01 || Ed25519 public key).")
    public_key: str = Field(description="The raw Ed25519 public key, base64.")


class InclusionRead(PublicModel):
    index: int
    size: int
    leaf_hash: str = Field(description="SHA-256(0x00 || leaf data), base64.")
    hashes: list[str] = Field(description="The proof, nearest the leaf first, base64.")


class ConsistencyRead(PublicModel):
    first: int = Field(serialization_alias="from")
    second: int = Field(serialization_alias="to")
    hashes: list[str] = Field(description="The proof (RFC 9162 2.1.4), base64.")


class LeafRead(PublicModel):
    index: int
    seq: int = Field(description="The change's number in the public change feed.")
    data: str = Field(description="The leaf: canonical JSON (RFC 8785) of the change.")

    @classmethod
    def of(cls, leaf: LogLeaf) -> "LeafRead":
        return cls(index=leaf.idx, seq=leaf.seq, data=leaf.data)


class RecordLogRead(PublicModel):
    url: str
    leaves: list[LeafRead]
    current: dict[str, Any] | None = Field(
        description="{state, leaf}: the record's public state now and the leaf that logged it "
        "last; null for a record with no public state (a reporting cycle, a review)."
    )
