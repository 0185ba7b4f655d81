"""The project as it was before activities reached the site page: config.wsgi with the page's activities
section taken out (its tag renders nothing and runs no query). bench_activities serves it beside the real
one to measure what the section costs the page (issue 15: within 10 %)."""

from django.template.defaulttags import CommentNode

from config.wsgi import application  # noqa: F401  (sets Django up; gunicorn serves this name)
from services.templatetags import activities

# Templates compile on their first request, after this: {% site_activities site %} then compiles to nothing.
activities.register.tags["site_activities"] = lambda parser, token: CommentNode()
