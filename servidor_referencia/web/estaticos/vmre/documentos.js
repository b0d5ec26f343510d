// Lectura estricta de los campos que el dispositivo recibe en JSON (§10.1): hexadecimal en
// mayúsculas de longitud exacta, rangos de Z_q y Z_p^r.  Cada error nombra el campo.

import { ErrorVmre } from "./errores.js";
import { BYTES_P, BYTES_Q, P, Q, esMiembro } from "./grupo.js";
import { hexABytes } from "./bytes.js";

export const VERSION = "vmre-1.0";

export function exigir(condicion, codigo, mensaje, detalles = {}) {
  if (!condicion) throw new ErrorVmre(codigo, mensaje, detalles);
}

function hexDe(valor, digitos, campo) {
  exigir(typeof valor === "string", "tipo_invalido", `«${campo}» debe ser una cadena hexadecimal.`, { campo });
  exigir(
    valor.length === digitos && /^[0-9A-F]*$/.test(valor),
    "formato_invalido",
    `«${campo}» debe ser hexadecimal en mayúsculas de ${digitos} dígitos.`,
    { campo },
  );
  return valor;
}

export function leerQ(valor, campo) {
  const x = BigInt("0x" + hexDe(valor, 2 * BYTES_Q, campo));
  exigir(x < Q, "fuera_de_rango_q", `«${campo}» no está en Z_q.`, { campo });
  return x;
}

/** Elemento de Z_p^r: rango y pertenencia al subgrupo (V-G2). */
export function leerP(valor, campo) {
  const x = BigInt("0x" + hexDe(valor, 2 * BYTES_P, campo));
  exigir(x >= 1n && x < P, "fuera_de_rango_p", `«${campo}» no está en 1..p−1.`, { campo });
  exigir(esMiembro(x), "no_es_miembro_subgrupo", `«${campo}» no pertenece al subgrupo de orden q.`, { campo });
  return x;
}

export function leerBytes(valor, largo, campo) {
  return hexABytes(hexDe(valor, 2 * largo, campo));
}

export function leerDocumento(doc, tipo) {
  exigir(doc !== null && typeof doc === "object" && !Array.isArray(doc), "tipo_invalido", `Se esperaba un documento «${tipo}».`);
  exigir(doc.version === VERSION, "version_no_soportada", `Versión no soportada: ${doc.version}.`, { campo: "version" });
  exigir(doc.tipo === tipo, "tipo_invalido", `Se esperaba un documento «${tipo}» y llegó «${doc.tipo}».`, { campo: "tipo" });
  return doc;
}
