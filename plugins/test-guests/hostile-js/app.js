// Test guest: a JavaScript plugin (componentize-js) that reaches outside. Its configuration,
// {"do": "..."}, says what `adjust-quote` tries; cases.yaml says how the host must answer each.
// An error code of the plugin's own reports what it observed (`clock.fixed` ...).

import { config } from "missions:plugin/host@0.1.0";

function observed(code, detail) {
  return { code, message: { fr: detail, nl: detail, en: detail } };
}

export const guest = {
  describe() {
    const text = "Tries what JavaScript allows.";
    return { name: "hostile-js", version: "0.1.0", hooks: ["adjust-quote"], description: { fr: text, nl: text, en: text } };
  },

  adjustQuote() {
    const what = JSON.parse(config()).do;
    if (what === "loop") {
      for (;;) {}
    }
    if (what === "alloc") {
      const hoard = new Uint8Array(1 << 30);
      hoard.fill(1);
      return [];
    }
    if (what === "stdout") {
      const chunk = "x".repeat(1 << 20);
      for (let i = 0; i < 100; i++) {
        console.log(chunk);
      }
      return [];
    }
    if (what === "fetch") {
      fetch("http://127.0.0.1/");
      throw observed("fetch.sent", "fetch returned");
    }
    if (what === "clock") {
      const w1 = Date.now(), m1 = performance.now();
      let spin = 0;
      for (let i = 0; i < 1000000; i++) spin += i;
      const w2 = Date.now(), m2 = performance.now();
      throw observed(w1 === w2 && m1 === m2 ? "clock.fixed" : "clock.moved", `${w1} ${w2} ${m1} ${m2} ${spin}`);
    }
    return [];
  },

  lintModel() {
    return [];
  },

  dashboardFigures() {
    return [];
  },
};
