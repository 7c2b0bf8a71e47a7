"""Schemes (dispositifs): ``/dispositifs/`` and their pages; ``FilteredListView`` serves the
other lenient list pages."""

from django.db.models import Prefetch
from django.views.generic import DetailView, TemplateView

from core.lenient import LastPageRedirectMixin, paginate

from .filters import SchemeFilterSet
from .models import Scheme, SupportType
from .queries import region_choices


class FilteredListView(LastPageRedirectMixin, TemplateView):
    """A list page driven by a ``LenientFilterSet`` and paginated (a page beyond the last
    redirects to the last)."""

    filterset_class = None
    queryset = None
    per_page = 20

    def get_queryset(self):
        return self.queryset.all()

    def get_context_data(self, **kwargs):
        filterset = self.filterset_class(self.request.GET, queryset=self.get_queryset())
        page, page_ignored = paginate(filterset.qs, self.request.GET, self.per_page)
        form = filterset.form
        return super().get_context_data(
            filterset=filterset,
            filter_fields={
                "checkboxes": [form[name] for name in filterset.multi_choices],
                "radio": form["open"] if "open" in form.fields else None,
            },
            region_options=region_choices(),
            page_obj=page,
            object_list=page.object_list,
            ignored=[*filterset.ignored, *page_ignored],
            **kwargs,
        )


class SchemeListView(FilteredListView):
    template_name = "collectivites/scheme_list.html"
    filterset_class = SchemeFilterSet
    queryset = Scheme.objects.select_related("owner").prefetch_related("support_types")


class SchemeDetailView(DetailView):
    template_name = "collectivites/scheme_detail.html"
    context_object_name = "scheme"
    queryset = Scheme.objects.select_related("owner").prefetch_related(
        Prefetch("support_types", queryset=SupportType.objects.order_by("position"))
    )
