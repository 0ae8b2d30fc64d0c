# Messages of `missions-base`

## crates/base/src/diag.rs
base-did-you-mean = did you mean `{ $best }`?
base-did-you-mean-after = {" "}(did you mean `{ $b }`?)

## crates/base/src/yaml.rs
base-check-path-taken-relative-current = check the path; it is taken relative to the current directory
base-not-file = `{ $name }` is not a file
base-not-valid-utf-8-byte = `{ $name }` is not valid UTF-8 (byte { $at })
base-save-file-as-utf-8 = save the file as UTF-8
base-empty = `{ $name }` is empty
base-cannot-read = cannot read `{ $name }`: { $e }
base-bytes-limit-bytes = `{ $name }` is { $len } bytes; the limit is { $max } bytes
base-split-file-remove-generated-content = split the file, or remove generated content from it
base-invalid-yaml = invalid YAML: { $info }
base-check-indentation-quoting-around-this = check the indentation and quoting around this place
base-nesting-deeper-than-levels = nesting deeper than { $n } levels
base-flatten-this-part-file = flatten this part of the file
base-aliases-expand-more-than-bytes = aliases expand to more than { $n } bytes
base-write-repeated-value-out-refer = write the repeated value out, or refer to it less often

## crates/base/src/yaml/located.rs
base-add-key-see-documentation-this = add the key; see the documentation of this file's format
base-yaml-unknown-key = { $message }
base-yaml-missing-key = { $message }
base-yaml-invalid-value = { $message }
base-remove-this-key-this-place = remove this key: this place takes no keys
base-keys-allowed-here-are = the keys allowed here are { $keys }
