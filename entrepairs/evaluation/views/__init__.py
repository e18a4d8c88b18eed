from .answering import answer, answer_thanks, invitation_qr
from .campaigns import (
    campaign_close,
    campaign_create,
    campaign_detail,
    campaign_invitations,
    campaign_list,
    campaign_responses_fhir,
    invitation_sheet,
    invitation_sheet_revoke,
)
from .instruments import instrument_detail, instrument_fhir, instrument_import, instrument_list
from .outcomes import outcomes, stays_import
from .person_space import (
    person_space_link,
    person_space_link_revoke,
    space,
    space_answer,
    space_give,
    space_withdraw,
)

__all__ = [
    "answer",
    "answer_thanks",
    "campaign_close",
    "campaign_create",
    "campaign_detail",
    "campaign_invitations",
    "campaign_list",
    "campaign_responses_fhir",
    "invitation_sheet",
    "invitation_sheet_revoke",
    "instrument_detail",
    "instrument_fhir",
    "instrument_import",
    "instrument_list",
    "invitation_qr",
    "outcomes",
    "person_space_link",
    "person_space_link_revoke",
    "space",
    "space_answer",
    "space_give",
    "space_withdraw",
    "stays_import",
]
