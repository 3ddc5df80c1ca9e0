"""Dates and numbers per language (FORMAT_MODULE_PATH): what this site changes of Django's own formats.

Templates and code name a format ("DATE_FORMAT"), never a pattern, so each language writes a date its
own way: "2 December 2020" in English, «2 декабря 2020 г.» (the genitive month, Django's own Russian
formats) in Russian. A language with no module here uses Django's formats for it.
"""
