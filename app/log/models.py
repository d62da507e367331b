"""The log's tables: its leaves, and every complete subtree's hash (so that a proof reads
O(log n) rows). Both are append-only: the database refuses UPDATE and DELETE on them."""

from sqlalchemy import BigInteger, Column, LargeBinary, SmallInteger, Text
from sqlmodel import Field, SQLModel


class LogLeaf(SQLModel, table=True):
    __tablename__ = "log_leaf"

    idx: int = Field(sa_column=Column("idx", BigInteger, primary_key=True, autoincrement=False))
    seq: int = Field(sa_column=Column("seq", BigInteger, nullable=False, unique=True))
    url: str = Field(max_length=300, index=True)
    data: str = Field(sa_column=Column("data", Text, nullable=False))  # canonical JSON
    leaf_hash: bytes = Field(sa_column=Column("leaf_hash", LargeBinary(32), nullable=False))


class LogNode(SQLModel, table=True):
    """MTH(D[idx * 2^level : (idx + 1) * 2^level]) once those leaves all exist."""

    __tablename__ = "log_node"

    level: int = Field(sa_column=Column("level", SmallInteger, primary_key=True))
    idx: int = Field(sa_column=Column("idx", BigInteger, primary_key=True, autoincrement=False))
    hash: bytes = Field(sa_column=Column("hash", LargeBinary(32), nullable=False))
