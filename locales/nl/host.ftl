# Berichten van het commando `missions` en de HTTP-host.

host-no-change = geen wijziging
