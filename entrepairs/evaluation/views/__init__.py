from .answering import answer, answer_thanks, invitation_qr
from .campaigns import (
    campaign_close,
    campaign_create,
    campaign_detail,
    campaign_invitations,
    campaign_list,
    campaign_responses_fhir,
)
from .instruments import instrument_detail, instrument_fhir, instrument_import, instrument_list
from .outcomes import outcomes, stays_import
from .person_space import person_space_link, space, space_answer, space_withdraw

__all__ = [
    "answer",
    "answer_thanks",
    "campaign_close",
    "campaign_create",
    "campaign_detail",
    "campaign_invitations",
    "campaign_list",
    "campaign_responses_fhir",
    "instrument_detail",
    "instrument_fhir",
    "instrument_import",
    "instrument_list",
    "invitation_qr",
    "outcomes",
    "person_space_link",
    "space",
    "space_answer",
    "space_withdraw",
    "stays_import",
]
