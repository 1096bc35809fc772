"""The directory writes nothing of its own but the audit trail of HR's reads and exports."""

from kizuna.core.actions import audit, list_filters


def _filters(params):
    """The search's parameters for the log (QueryDict, several values joined), the search text left out."""
    return list_filters({key: ",".join(values) for key, values in params.lists()})


def do_record_admin_search(admin, params, *, page, request=None):
    """HR sees admins-only values in the directory: each page of results they read is logged."""
    audit(admin, "directory.view_list", detail={**_filters(params), "page": page}, request=request)


def do_record_export(admin, params, *, file_format, rows, request=None):
    audit(admin, "directory.export", detail={**_filters(params), "format": file_format, "rows": rows},
          request=request)
