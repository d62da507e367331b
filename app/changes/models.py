"""The change clock: one counter that every write advances inside its own transaction.

Its row lock is held from the increment to the commit, so sequence numbers follow commit order:
a reader who follows the change feed's cursor never skips a change committed late. Its value is
also the data version that keyed answers' ETags are derived from, on every instance at once;
`public_value` moves only with changes everyone may see, and versions the public answers (so a
company's draft leaves every public ETag, and every cached public answer, alone).
"""

from sqlalchemy import BigInteger, CheckConstraint, Column
from sqlmodel import Field, SQLModel


class ChangeClock(SQLModel, table=True):
    __tablename__ = "change_clock"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: int = Field(default=1, primary_key=True)
    value: int = Field(sa_column=Column("value", BigInteger, nullable=False, server_default="0"))
    public_value: int = Field(
        sa_column=Column("public_value", BigInteger, nullable=False, server_default="0")
    )
    # Moved by every change of a list's order (company_status rewritten, update documents
    # stored): the order holds while they stand, so positions found in it may be kept
    # (app/core/anchors.py).
    company_order: int = Field(
        sa_column=Column("company_order", BigInteger, nullable=False, server_default="0")
    )
    update_order: int = Field(
        sa_column=Column("update_order", BigInteger, nullable=False, server_default="0")
    )
    # Random per database (set by its migration; a backup restores it with the values): files
    # kept per data version are named with it, so a new database at the same path that reaches
    # the same version is never served another's.
    epoch: str = Field(default="", max_length=32, sa_column_kwargs={"server_default": ""})
