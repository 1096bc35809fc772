from django import template

from kizuna.core.markdown import render_markdown, render_message

register = template.Library()
register.filter("markdown", render_markdown)
register.filter("message_markdown", render_message)
