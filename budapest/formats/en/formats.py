"""English as the site writes it (British style): 2 December 2020, 2 Dec 2020."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
