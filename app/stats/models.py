"""Read model of the statistics: per company, what it adds to each counter; and the counters.

A counter is a named series of integers by key: `started` and `stopped` by month (companies that
began or stopped endorsing in that month), `country` and `country_endorsing` by headquarters
country, `sector` and `sector_endorsing` by sector; `updates_submitted` and `updates_current`
(submitted updates, and those no amendment replaced) under the one key `all`. Each company's
contributions are stored so a write can take back exactly what the company added before and
add what it adds now.
"""

from sqlmodel import Field, SQLModel

UNKNOWN_KEY = ""  # a company with no country is counted under the empty key
ALL_KEY = "all"  # a counter with one value
UPDATES_SUBMITTED = "updates_submitted"
UPDATES_CURRENT = "updates_current"
COUNTRY_ENDORSING = "country_endorsing"  # endorsing companies per headquarters country
STATUS = "status"  # companies per current endorsement status (the company list's totals)


class StatContribution(SQLModel, table=True):
    __tablename__ = "stat_contribution"

    company_id: int = Field(primary_key=True, foreign_key="company.id")
    counter: str = Field(primary_key=True, max_length=40)
    key: str = Field(primary_key=True, max_length=100)
    amount: int


class StatCounter(SQLModel, table=True):
    __tablename__ = "stat_counter"

    counter: str = Field(primary_key=True, max_length=40)
    key: str = Field(primary_key=True, max_length=100)
    amount: int = Field(default=0, ge=0)
