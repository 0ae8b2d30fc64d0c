# Le calendrier : les noms des jours fériés légaux belges.

calendar-holiday-new-year = Jour de l'An
calendar-holiday-easter-monday = Lundi de Pâques
calendar-holiday-labour-day = Fête du Travail
calendar-holiday-ascension = Ascension
calendar-holiday-whit-monday = Lundi de Pentecôte
calendar-holiday-national-day = Fête nationale
calendar-holiday-assumption = Assomption
calendar-holiday-all-saints = Toussaint
calendar-holiday-armistice = Armistice
calendar-holiday-christmas = Noël
