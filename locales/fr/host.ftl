# Messages de la commande `missions` et de l'hôte HTTP.

host-no-change = aucun changement
