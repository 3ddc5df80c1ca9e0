"""The JSON the API reads: DRF's parser, with a limit on how deeply lists and objects nest.

No record of the API nests deeper than a few levels; a body of 100,000 nested lists made the parser raise
RecursionError (a 500). Anything nested deeper than ``MAX_DEPTH`` is a 400 that says so.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as BaseJSONParser

MAX_DEPTH = 32
TOO_DEEP = f"The JSON body is nested deeper than {MAX_DEPTH} levels of lists and objects: send a flatter one."


def depth_over(value, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and objects nest deeper than `limit` levels in a parsed JSON value (without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, dict | list):
            continue
        children = item.values() if isinstance(item, dict) else item
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(BaseJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if depth_over(data):
            raise ParseError(TOO_DEEP)
        return data
