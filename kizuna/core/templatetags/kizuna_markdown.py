from django import template

from kizuna.core.markdown import render_markdown

register = template.Library()
register.filter("markdown", render_markdown)
