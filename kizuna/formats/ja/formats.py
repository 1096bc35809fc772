# Dates as Japanese readers expect them; the same everywhere in the UI and in emails.
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y/m/d"
SHORT_DATETIME_FORMAT = "Y/m/d H:i"
YEAR_MONTH_FORMAT = "Y年n月"
