// JSON canónico (§10.2): llaves ordenadas por punto de código, sin espacios, UTF-8 sin escapar lo
// que no sea ASCII de control.  Para cadenas, enteros, booleanos y null, JSON.stringify escribe
// exactamente lo mismo que json.dumps(..., ensure_ascii=False) de Python; aquí se ordenan las llaves.

import { compararPuntosDeCodigo } from "./documentos.js";

export function textoCanonico(valor) {
  if (valor === null || typeof valor !== "object") {
    if (typeof valor === "number" && !Number.isSafeInteger(valor)) {
      throw new TypeError("el JSON canónico solo admite enteros");
    }
    return JSON.stringify(valor);
  }
  if (Array.isArray(valor)) return "[" + valor.map(textoCanonico).join(",") + "]";
  const llaves = Object.keys(valor).sort(compararPuntosDeCodigo);
  return "{" + llaves.map((k) => JSON.stringify(k) + ":" + textoCanonico(valor[k])).join(",") + "}";
}
