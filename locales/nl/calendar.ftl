# De kalender: de namen van de Belgische wettelijke feestdagen.

calendar-holiday-new-year = Nieuwjaar
calendar-holiday-easter-monday = Paasmaandag
calendar-holiday-labour-day = Dag van de Arbeid
calendar-holiday-ascension = Onze-Lieve-Heer-Hemelvaart
calendar-holiday-whit-monday = Pinkstermaandag
calendar-holiday-national-day = Nationale feestdag
calendar-holiday-assumption = Onze-Lieve-Vrouw-Hemelvaart
calendar-holiday-all-saints = Allerheiligen
calendar-holiday-armistice = Wapenstilstand
calendar-holiday-christmas = Kerstmis
