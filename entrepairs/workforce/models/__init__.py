"""The peer workforce, by topic. ``from entrepairs.workforce.models import X`` works for all."""

from .charters import CharterSignature, MissionCharter, SignedCharterError
from .competencies import Assessment, Competency, CompetencyDomain, CompetencyFramework
from .conduct import CodeOfConduct, ConductAcknowledgement
from .contracts import Contract, SalaryGrid, SalaryStep
from .peers import Deployment, PeerWorker
from .practice import EthicsJournalEntry, Mentoring, MentoringMeeting, SupervisionSession
from .trainings import Training

__all__ = [
    "Assessment",
    "CharterSignature",
    "CodeOfConduct",
    "Competency",
    "CompetencyDomain",
    "CompetencyFramework",
    "ConductAcknowledgement",
    "Contract",
    "Deployment",
    "EthicsJournalEntry",
    "Mentoring",
    "MentoringMeeting",
    "MissionCharter",
    "PeerWorker",
    "SalaryGrid",
    "SalaryStep",
    "SignedCharterError",
    "SupervisionSession",
    "Training",
]
