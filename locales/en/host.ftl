# Messages of the `missions` command and the HTTP host.

host-no-change = no change
