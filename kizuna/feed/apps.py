from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "kizuna.feed"
    label = "feed"
    verbose_name = _("Feed")

    def ready(self):
        from kizuna.events.signals import event_published
        from kizuna.groups.sections import GroupSection
        from kizuna.groups.sections import register as register_section
        from kizuna.jobs.signals import posting_published
        from kizuna.members.changes import member_withdrawing, profile_changed, profile_rules_changed
        from kizuna.members.export import register_sections
        from kizuna.moderation import registry
        from kizuna.notifications.categories import Category, register
        from kizuna.notifications.models import Mode

        from . import actions, export, reportables, views

        member_withdrawing.connect(actions.forget_member, dispatch_uid="feed.forget_member")
        profile_changed.connect(actions.record_moves, dispatch_uid="feed.record_moves")
        profile_changed.connect(actions.refresh_ranking_keys, dispatch_uid="feed.refresh_ranking_keys")
        profile_rules_changed.connect(actions.rules_changed, dispatch_uid="feed.rules_changed")
        posting_published.connect(actions.record_posting, dispatch_uid="feed.record_posting")
        event_published.connect(actions.record_event, dispatch_uid="feed.record_event")
        register_sections(export.sections)
        daily = (Mode.INSTANT, Mode.DAILY, Mode.OFF)
        register(Category(actions.MENTIONS, _("Mentions of you"), actions.describe, modes=daily))
        register(Category(actions.REPLIES, _("Replies to your posts"), actions.describe, modes=daily))
        register(Category(actions.REACTIONS, _("Reactions to your posts"), actions.describe, default=Mode.OFF,
                          modes=daily))
        register(Category(actions.ANNOUNCEMENTS, _("Announcements and stories from HR"), actions.describe,
                          default=Mode.DAILY, modes=daily))
        for reportable in reportables.REPORTABLES:
            registry.register(reportable)
        register_section(GroupSection("posts", _("Posts"), "feed/group_posts.html", views.group_posts_context,
                                      order=10))
