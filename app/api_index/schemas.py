"""The API index: one place to start, and what the registry does and does not hold."""

from pydantic import Field

from app.core.schemas import PublicModel

# The count public sources give, and where; the registry holds only endorsers a source names.
STATED_ENDORSERS = 16
STATED_ON = "2022-03-24"
STATED_BY = (
    "https://www.canada.ca/en/public-safety-canada/news/2022/03/five-country-ministerial-"
    "statement-on-the-second-anniversary-of-the-launch-of-the-voluntary-principles-to-counter-"
    "online-child-sexual-exploitation-.html"
)
OFFICIAL_LIST = (
    "https://www.weprotect.org/library/voluntary-principles-to-counter-online-child-sexual-"
    "exploitation-and-abuse/"
)


class CoverageNoticeRead(PublicModel):
    """How much of the public record the registry holds."""

    endorsers_recorded: int = Field(description="Companies the registry records as endorsing now.")
    endorsers_stated: int = Field(description="The count the most recent public source gives.")
    stated_on: str = Field(description="The date of that source.")
    stated_by: str = Field(description="That source.")
    official_list: str = Field(description="The official endorser list.")
    notice: str

    @classmethod
    def of(cls, recorded: int) -> "CoverageNoticeRead":
        return cls(
            endorsers_recorded=recorded,
            endorsers_stated=STATED_ENDORSERS,
            stated_on=STATED_ON,
            stated_by=STATED_BY,
            official_list=OFFICIAL_LIST,
            notice=(
                f"The Five Country ministers' statement of {STATED_ON} counted "
                f"{STATED_ENDORSERS} companies endorsing, and named none. The registry records "
                f"{recorded} endorsing now, each named by a public source, whenever they "
                "endorsed (/api/v1 says how many had endorsed by that statement). The official "
                "list is at the WeProtect Global Alliance."
            ),
        )


class LicenceRead(PublicModel):
    name: str = Field(description="SPDX identifier.")
    url: str
    attribution: str = Field(description="How to credit the data.")


class StatementCoverageRead(PublicModel):
    """The registry's endorsers set against the public count and its date."""

    stated_on: str = Field(description="The date of the public count.")
    endorsers_stated: int = Field(description="The count the statement gives (it names none).")
    recorded_by_then: int = Field(
        description="Endorsers the registry records whose endorsement was, on every day its "
        "date can mean, on or before that date: among those the statement counted."
    )
    recorded_after_or_undated: int = Field(
        description="The others endorsing now: after that date, or on a date that may be after "
        "it (a range or a year that runs past it)."
    )


class ApiIndexRead(PublicModel):
    name: str
    notice: str = Field(description="Endorsement is not implementation.")
    coverage: CoverageNoticeRead
    coverage_at_statement: StatementCoverageRead
    framework_versions: list[str] = Field(description="Codes, newest (current) first.")
    resources: dict[str, str] = Field(description="Name -> URL of each collection.")
    exports: dict[str, str] = Field(
        description="The data package (it lists every CSV table) and the NDJSON documents."
    )
    data_licence: LicenceRead
    docs: dict[str, str]
