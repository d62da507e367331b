"""Write counters shared by every instance on PostgreSQL (one row per client and minute)."""

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel


class RateLimitHit(SQLModel, table=True):
    __tablename__ = "rate_limit_hit"

    bucket: str = Field(primary_key=True, max_length=80, description="key:<digest> or ip:<addr>")
    window: int = Field(sa_column=Column("window", BigInteger, primary_key=True))
    hits: int = Field(default=0)
