// JSON canónico (§10.2): llaves ordenadas, sin espacios, UTF-8 sin escapar lo que no sea ASCII de
// control.  Para cadenas, números enteros, booleanos y null, JSON.stringify escribe exactamente lo
// mismo que json.dumps(..., ensure_ascii=False) de Python; aquí solo se ordenan las llaves.

export function textoCanonico(valor) {
  if (valor === null || typeof valor !== "object") {
    if (typeof valor === "number" && !Number.isSafeInteger(valor)) {
      throw new TypeError("el JSON canónico solo admite enteros");
    }
    return JSON.stringify(valor);
  }
  if (Array.isArray(valor)) return "[" + valor.map(textoCanonico).join(",") + "]";
  const llaves = Object.keys(valor).sort();
  return "{" + llaves.map((k) => JSON.stringify(k) + ":" + textoCanonico(valor[k])).join(",") + "}";
}
