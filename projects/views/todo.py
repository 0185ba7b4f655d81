"""待办: one page per signed-in user, every list that waits for them, oldest first."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import todo


@login_required
def todo_page(request):
    lists = todo.lists_for(request.user)
    counts = todo.counts(request.user)
    sections = [{"list": t, "count": counts[t.key], "rows": list(t.queryset[: todo.ROWS])} for t in lists]
    return render(
        request,
        "todo/todo.html",
        # The header's badge reads the counts already made for the page.
        {
            "sections": sections,
            "total": sum(counts[t.key] for t in lists),
            "shown": todo.ROWS,
            "todo": todo.HeaderCounts(request.user, counts),
        },
    )
