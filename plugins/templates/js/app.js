// Template plugin: a loyalty discount, in JavaScript (componentize-js, through jco).
//
// The tenant's configuration gives the percentage: {"percent": "3"}. For every line of the quote
// with a positive amount, the plugin adds a `loyalty_discount` line of `-percent %` of that
// amount, in the line's VAT category and rate: quantity `-3`, unit price the amount, base quantity
// `100`, unit `%`. The host computes and rounds the amounts and VAT, as for any line. A quote that
// already has a `loyalty_discount` line is left alone.
//
// The Rust and Python templates do the same and pass the same `cases.yaml`. WIT names become
// camelCase fields, enums are their WIT names, a variant is {tag, val}, and a `result` error is
// returned by throwing its value (a plain object, not an Error: an Error traps).

import { config, log } from "missions:plugin/host@0.1.0";

const CODE = "loyalty_discount";

function invalid(detail) {
  return {
    code: "config.invalid",
    message: {
      fr: `Configuration de la remise de fidélité non valide : ${detail}`,
      nl: `Ongeldige configuratie van de getrouwheidskorting: ${detail}`,
      en: `Invalid loyalty discount configuration: ${detail}`,
    },
  };
}

// The percentage the configuration gives, checked to be decimal text in (0, 100].
function percent() {
  let parsed;
  try {
    parsed = JSON.parse(config());
  } catch (e) {
    throw invalid(String(e));
  }
  if (parsed === null || typeof parsed !== "object" || Object.keys(parsed).join() !== "percent") {
    throw invalid("give exactly one key, `percent`");
  }
  const text = String(parsed.percent).trim();
  const value = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !(value > 0 && value <= 100)) {
    throw invalid(`percent \`${text}\` is not a number between 0 and 100`);
  }
  return text;
}

// Whether decimal text is above zero.
function positive(amount) {
  return !amount.startsWith("-") && /[1-9]/.test(amount);
}

export const guest = {
  describe() {
    return {
      name: "loyalty-discount",
      version: "0.1.0",
      hooks: ["adjust-quote"],
      description: {
        fr: "Accorde une remise de fidélité sur chaque ligne du devis.",
        nl: "Geeft een getrouwheidskorting op elke lijn van de offerte.",
        en: "Grants a loyalty discount on every line of the quote.",
      },
    };
  },

  adjustQuote(quote) {
    const pct = percent();
    if (quote.lines.some((line) => line.code === CODE)) {
      log("debug", "the quote already has a loyalty discount", []);
      return [];
    }
    const reason = {
      fr: `Remise de fidélité de ${pct} %.`,
      nl: `Getrouwheidskorting van ${pct} %.`,
      en: `Loyalty discount of ${pct} %.`,
    };
    return quote.lines
      .filter((line) => positive(line.amount))
      .map((line) => ({
        change: {
          tag: "add",
          val: {
            code: CODE,
            label: {
              fr: `Remise de fidélité (${pct} %) : ${line.label.fr}`,
              nl: `Getrouwheidskorting (${pct} %): ${line.label.nl}`,
              en: `Loyalty discount (${pct} %): ${line.label.en}`,
            },
            quantity: `-${pct}`,
            unitPrice: line.amount,
            baseQuantity: "100",
            unit: "%",
            vatCategory: line.vatCategory,
            vatRate: line.vatRate,
          },
        },
        reason,
      }));
  },

  lintModel() {
    return [];
  },

  dashboardFigures() {
    return [];
  },
};
