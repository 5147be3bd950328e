"""SQLAlchemy 2 typed models, one aggregate per module."""

from budget.models.audit import AuditContent, AuditCoverage, AuditEntry, AuditHead
from budget.models.award import AwardDecision, AwardRecipient
from budget.models.base import Base
from budget.models.campaign import Campaign
from budget.models.estimate import EstimateLine, EstimatePart, EstimateVersion
from budget.models.fund import FundAllocation, FundingSource, FundRegister
from budget.models.membership import Membership, ProvinceReviewer
from budget.models.organisation import Organisation
from budget.models.voucher import LineTotal, Voucher

__all__ = [
    "AuditContent",
    "AuditCoverage",
    "AuditEntry",
    "AuditHead",
    "AwardDecision",
    "AwardRecipient",
    "Base",
    "Campaign",
    "EstimateLine",
    "EstimatePart",
    "EstimateVersion",
    "FundAllocation",
    "FundRegister",
    "FundingSource",
    "LineTotal",
    "Membership",
    "Organisation",
    "ProvinceReviewer",
    "Voucher",
]
