"""What each company publishes itself, as administrators link it, read beside its detail (added
by `service.link_report`, never changed)."""

from collections import defaultdict

from sqlmodel import Session, col, select

from app.companies.models import CompanyReport


def reports_of(session: Session, company_ids: list[int]) -> dict[int, list[CompanyReport]]:
    """The linked reports of these companies, newest publication first."""
    found: dict[int, list[CompanyReport]] = defaultdict(list)
    statement = (
        select(CompanyReport)
        .where(col(CompanyReport.company_id).in_(company_ids))
        .order_by(col(CompanyReport.published_on).desc(), col(CompanyReport.id).desc())
    )
    for report in session.exec(statement):
        found[report.company_id].append(report)
    return found
