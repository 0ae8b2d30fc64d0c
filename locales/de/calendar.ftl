# Der Geschäftskalender: die Namen der belgischen gesetzlichen Feiertage.

calendar-holiday-new-year = Neujahr
calendar-holiday-easter-monday = Ostermontag
calendar-holiday-labour-day = Tag der Arbeit
calendar-holiday-ascension = Christi Himmelfahrt
calendar-holiday-whit-monday = Pfingstmontag
calendar-holiday-national-day = Belgischer Nationalfeiertag
calendar-holiday-assumption = Mariä Himmelfahrt
calendar-holiday-all-saints = Allerheiligen
calendar-holiday-armistice = Waffenstillstand
calendar-holiday-christmas = Weihnachten
