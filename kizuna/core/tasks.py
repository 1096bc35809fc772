"""Background work of core. Tasks take primary keys (never addresses or text) and are safe to retry."""

from django_tasks import task

from . import actions


@task()
def deliver_email(mail_id):
    actions.do_deliver_email(mail_id)


@task()
def housekeeping():
    """Enqueued every few minutes by `kizuna worker`: retry failed mail, prune finished task results,
    delete applications whose address was never confirmed, end HR import jobs nobody will finish, send
    weekly notification digests that are due, forget referred people of referrals closed long ago, send event
    reminders that are due (a backstop for their scheduled tasks), bring department groups in step with
    members who joined or changed department, publish scheduled feed items that are due, add newly joined
    members to the feed, and email members about unread messages in conversations that have gone quiet."""
    from kizuna.chat.actions import do_email_unread_messages
    from kizuna.events.actions import do_send_due_reminders
    from kizuna.feed.actions import do_publish_due, do_record_joins
    from kizuna.groups.actions import do_fill_all_department_groups
    from kizuna.jobs.actions import do_expire_referrals
    from kizuna.members.actions import do_expire_import_jobs, do_expire_unconfirmed_signups
    from kizuna.notifications.actions import do_send_due_digests

    actions.do_retry_mail()
    actions.do_prune_task_results()
    do_expire_unconfirmed_signups()
    do_expire_import_jobs()
    do_send_due_digests()
    do_expire_referrals()
    do_send_due_reminders()
    do_fill_all_department_groups()
    do_publish_due()
    do_record_joins()
    do_email_unread_messages()
