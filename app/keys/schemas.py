"""API models for keys. The plaintext key appears only in KeyIssuedRead, once."""

from datetime import datetime

from pydantic import ConfigDict, Field

from app.core.pagination import Page
from app.core.parameters import SLUG_MAX, SLUG_PATTERN
from app.core.schemas import InputModel, IsoDateTime, PublicModel
from app.keys.models import Role
from app.keys.service import IssuedKey, KeyRow


class KeyCreate(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"name": "Meta's reporting team", "role": "company", "company": "meta"}]
        }
    )

    name: str = Field(min_length=1, max_length=200, description="What the key is for.")
    role: Role
    company: str | None = Field(
        default=None, max_length=SLUG_MAX, pattern=SLUG_PATTERN, description="Company keys only."
    )
    government: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Government keys only: the government or body the key speaks for.",
    )
    expires_at: IsoDateTime | None = Field(default=None, description="Optional expiry (UTC).")


class KeyRead(PublicModel):
    id: str = Field(description="The key's public id (the part after vpr_).")
    name: str
    role: Role
    company: str | None
    government: str | None
    created_at: datetime
    created_by: str
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: KeyRow) -> "KeyRead":
        key, company = row.key, row.company_slug
        return cls(
            id=key.key_id,
            name=key.name,
            role=Role(key.role),
            company=company,
            government=key.government,
            created_at=key.created_at,
            created_by=key.created_by,
            last_used_at=key.last_used_at,
            expires_at=key.expires_at,
            revoked_at=key.revoked_at,
        )


class KeyIssuedRead(KeyRead):
    key: str = Field(description="The key itself. Shown this once: store it now.")

    @classmethod
    def of(cls, row: IssuedKey) -> "KeyIssuedRead":  # type: ignore[override]  # needs the plaintext
        return cls(**KeyRead.of(row).model_dump(), key=row.plaintext)


class KeyPage(Page[KeyRead]):
    """Keys, without secrets."""
