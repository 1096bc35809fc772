"""Background work of groups. Tasks take primary keys and are safe to run again."""

from django_tasks import task

from . import actions


@task()
def fill_department_group(group_id):
    actions.do_fill_department_group(group_id)
