"""The only place that writes accounts: check_*() validates, do_*() writes, audits and sends.

One module per subject. Callers use the package (`from kizuna.members import actions`), which re-exports
every public name of its modules; a test that replaces a name patches the module that looks it up.
"""

from .accounts import do_confirm_employee, do_create_member, do_start_employee_signup
from .api_tokens import (
    API_TOKEN_PREFIX,
    MAX_ACTIVE_API_TOKENS,
    check_create_token,
    do_create_token,
    do_revoke_token,
    do_touch_token,
)
from .applications import (
    UNCONFIRMED_SIGNUP_KEPT_FOR,
    address_taken,
    check_apply,
    check_approve,
    deleted_applicant_label,
    do_apply,
    do_approve_application,
    do_confirm_applicant,
    do_expire_unconfirmed_signups,
    do_reject_application,
    do_send_account_exists_note,
)
from .bulk_creation import NewMember, do_bulk_create_members, do_bulk_create_records
from .eligibility_rules import (
    ELIGIBILITY_INLINE_LIMIT,
    do_refresh_eligibility,
    do_set_record_excluded,
    do_update_eligibility_rules,
)
from .invitation_acceptance import (
    INVITATION_SALT,
    LINK_SIGNING_SLACK,
    check_invitation_link,
    do_accept_invitation,
    invitation_url,
)
from .invitation_batches import BATCH_CHUNK, BATCH_STALE_AFTER, do_run_invitation_batch, do_start_invitation_batch
from .invitations import (
    check_invite,
    check_resend_invitation,
    do_invite,
    do_invite_many,
    do_resend_invitation,
    do_revoke_invitation,
)
from .leaver_imports import (
    IMPORT_BATCH,
    IMPORT_KEPT_FOR,
    IMPORT_STALE_AFTER,
    do_apply_import,
    do_apply_leaver_import,
    do_check_import,
    do_create_import_job,
    do_expire_import_jobs,
    do_finish_import,
    do_request_apply,
)
from .member_admin import do_change_role, do_end_sessions, do_reactivate, do_suspend
from .member_import import do_import_members
from .own_data import (
    check_accept_guidelines,
    do_accept_guidelines,
    do_record_data_export,
    do_set_own_language,
    do_update_own_details,
)
from .profile_settings import (
    check_custom_field,
    check_visibility_rules,
    do_delete_custom_field,
    do_save_custom_field,
    do_update_profile_rules,
)
from .profiles import (
    check_block,
    check_career,
    check_own_profile,
    check_profile,
    do_block,
    do_confirm_profile,
    do_save_own_profile,
    do_set_career,
    do_set_hidden,
    do_set_photo,
    do_unblock,
    do_update_profile,
    ensure_skills,
    split_skills,
)
from .withdrawal import check_withdraw, do_withdraw, withdrawn_label

__all__ = [
    "API_TOKEN_PREFIX", "BATCH_CHUNK", "BATCH_STALE_AFTER", "ELIGIBILITY_INLINE_LIMIT", "IMPORT_BATCH",
    "IMPORT_KEPT_FOR", "IMPORT_STALE_AFTER", "INVITATION_SALT", "LINK_SIGNING_SLACK", "MAX_ACTIVE_API_TOKENS",
    "check_block", "check_career", "check_custom_field", "check_own_profile", "check_profile",
    "check_visibility_rules", "do_block", "do_confirm_profile", "do_delete_custom_field", "do_save_custom_field",
    "do_save_own_profile", "do_set_career", "do_set_hidden",
    "do_set_photo", "do_unblock", "do_update_profile", "do_update_profile_rules", "ensure_skills", "split_skills",
    "NewMember", "UNCONFIRMED_SIGNUP_KEPT_FOR", "address_taken", "check_accept_guidelines", "check_apply",
    "check_approve", "check_create_token", "check_invitation_link", "check_invite", "check_resend_invitation",
    "check_withdraw", "deleted_applicant_label", "do_accept_guidelines", "do_accept_invitation", "do_apply",
    "do_apply_import", "do_apply_leaver_import", "do_approve_application", "do_bulk_create_members",
    "do_bulk_create_records", "do_change_role", "do_check_import", "do_confirm_applicant", "do_confirm_employee",
    "do_create_import_job", "do_create_member", "do_create_token", "do_end_sessions", "do_expire_import_jobs",
    "do_expire_unconfirmed_signups", "do_finish_import", "do_import_members", "do_invite", "do_invite_many",
    "do_reactivate",
    "do_record_data_export", "do_refresh_eligibility", "do_reject_application", "do_request_apply",
    "do_resend_invitation", "do_revoke_invitation", "do_revoke_token", "do_run_invitation_batch", "do_set_own_language",
    "do_send_account_exists_note", "do_set_record_excluded", "do_start_employee_signup",
    "do_start_invitation_batch", "do_suspend", "do_touch_token", "do_update_eligibility_rules",
    "do_update_own_details", "do_withdraw", "invitation_url", "withdrawn_label",
]
