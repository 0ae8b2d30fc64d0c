# Messages of the plugin host (`missions-plugins`): why a partner's plugin cannot be loaded, or
# why a call of it failed or its answer is refused. English is also each error's own text.

plugins-at-path = `{ $path }`: { $problem }
plugins-too-many-items = { $n } items, at most { $max } are allowed
plugins-code-empty = the code is empty
plugins-code-too-long = a code has at most { $MAX_CODE } bytes and no spaces
plugins-text-empty = the text is empty
plugins-text-too-long = the text has { $len } bytes, at most { $MAX_TEXT } are allowed
plugins-not-decimal = `{ $shown }` is not an exact decimal (for example `-12.50`)
plugins-negative-unit-price = `{ $unit_price }` is negative; deduct with a negative quantity
plugins-line-refused = the line `{ $code }` is refused: { $why }
plugins-no-such-line = line { $i } does not exist: the quote has { $len } lines
plugins-model-has-no-action = the model has no action `{ $shown }`
plugins-core-module = this is a core WebAssembly module, not a component: build the plugin with `cargo build --target wasm32-wasip2` and the plugin SDK (world `missions:plugin/plugin@{ $v }`)
plugins-world-version = the plugin is built against `{ $found }`, but this host speaks `missions:plugin@{ $v }` (0.1.x): rebuild it with an SDK for { $v }
plugins-unknown-import = the plugin imports `{ $name }`, which this host does not offer: a plugin may import `missions:plugin/host@{ $v }` (log and config) and the WASI 0.2 interfaces of wasi:io, wasi:cli, wasi:clocks, wasi:random, wasi:filesystem, wasi:sockets and wasi:http (served by stand-ins that grant nothing); remove the dependency that needs it
plugins-wasi-release = the plugin imports `{ $name }`, of a WASI release this host does not serve: it serves WASI 0.2 (build for the target wasm32-wasip2, or with your toolchain's WASI 0.2 setting)
plugins-async-abi = the component uses the component model's async ABI, which this host does not run: build a synchronous component (componentize-qjs: add `--sync`)
plugins-no-guest-export = the plugin does not export `missions:plugin/guest@{ $v }`: implement the world `missions:plugin/plugin` with the SDK
plugins-not-a-plugin = this file is not a valid plugin ({ $code })
plugins-cannot-load = the plugin cannot be loaded ({ $code })
plugins-deadline = the plugin ran past its deadline of { $ms } ms and was stopped
plugins-memory = the plugin asked for more memory than its cap of { $cap }
plugins-table-elements = the plugin asked for a table larger than its cap of { $cap } elements
plugins-count = the plugin creates more { $what } than its cap of { $cap }
plugins-fuel = the plugin used all of its { $fuel } units of fuel and was stopped
plugins-stack-overflow = the plugin overflowed its stack (too deep a recursion) and was stopped
plugins-trap = the plugin crashed; the partner who built it must fix it
plugins-busy = too many plugin calls run at the same time (at most { $max }): retry
plugins-host = the host could not run the plugin
