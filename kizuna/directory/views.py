"""The directory page (名簿) and HR's export of the same search.

One GET URL holds the whole search, so it can be shared and works without JavaScript; htmx asks for the
results alone (results_partial.html) while the member types, and for the next page of cards alone
(more_partial.html) when "Show more" is pressed.
"""

from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from kizuna.members.access import admin_required, member_required

from . import actions, export
from .forms import DirectoryForm
from .results import result_page

MORE_TARGET = "directory-more"  # the id of the "Show more" item that the next page replaces


def search_params(request) -> QueryDict:
    """The search's fields of the query string, without empty ones and the page number: what a link to
    this search carries (and what HR's audit entries record)."""
    params = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key in DirectoryForm.base_fields and (values := [value for value in values if value.strip()]):
            params.setlist(key, values)
    return params


@member_required
def directory(request):
    form = DirectoryForm(request.GET)
    page = result_page(request.user, form.query(), request.GET.get("page")) if form.is_valid() else None
    params = search_params(request)
    if page is not None and request.user.is_admin:
        actions.do_record_admin_search(request.user, params, page=page.number, request=request)
    htmx = request.htmx and not request.htmx.history_restore_request
    if htmx and request.htmx.target == MORE_TARGET:
        template = "directory/more_partial.html"
    elif htmx:
        template = "directory/results_partial.html"
    else:
        template = "directory/directory.html"
    response = render(request, template, {
        "form": form, "page": page, "query": params.urlencode(), "more_target": MORE_TARGET,
        "filter_count": sum(key not in ("q", "sort") for key in params),
    })
    # The same URL answers with a whole page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _export(request, file_format):
    form = DirectoryForm(request.GET)
    params = search_params(request)
    if not form.is_valid():
        return redirect(f"{reverse('directory')}?{params.urlencode()}")  # the page shows what is wrong
    query = form.query()
    ids = export.found_ids(request.user, query)
    actions.do_record_export(request.user, params, file_format=file_format, rows=len(ids), request=request)
    make = export.csv_export if file_format == "csv" else export.xlsx_export
    return make(request.user, query, ids)


@admin_required
def export_csv(request):
    return _export(request, "csv")


@admin_required
def export_xlsx(request):
    return _export(request, "xlsx")
