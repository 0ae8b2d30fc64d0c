# The business calendar: the names of Belgian legal holidays.

calendar-holiday-new-year = New Year's Day
calendar-holiday-easter-monday = Easter Monday
calendar-holiday-labour-day = Labour Day
calendar-holiday-ascension = Ascension Day
calendar-holiday-whit-monday = Whit Monday
calendar-holiday-national-day = Belgian National Day
calendar-holiday-assumption = Assumption Day
calendar-holiday-all-saints = All Saints' Day
calendar-holiday-armistice = Armistice Day
calendar-holiday-christmas = Christmas Day
