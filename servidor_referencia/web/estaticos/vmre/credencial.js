// Texto de la credencial de votación (17.8)–(17.10): base32 de Crockford de b(x, l_q) ∥ CRC-24,
// 56 símbolos en grupos de 4.  Se leen en el navegador y x nunca sale de él (23.9).

import { ErrorVmre } from "./errores.js";
import { BYTES_Q, Q, gALa } from "./grupo.js";

const ALFABETO = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const VALOR = new Map([...ALFABETO].map((c, i) => [c, i]));
VALOR.set("O", 0).set("I", 1).set("L", 1);
const SIMBOLOS = Math.ceil((8 * (BYTES_Q + 3)) / 5); // 56
const POLINOMIO_CRC24 = 0x1864cfb; // CRC-24 de OpenPGP (RFC 4880 §6.1)
const INICIO_CRC24 = 0xb704ce;

/** CRC-24 de OpenPGP (17.8). */
export function crc24(bytes) {
  let crc = INICIO_CRC24;
  for (const octeto of bytes) {
    crc ^= octeto << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= POLINOMIO_CRC24;
    }
  }
  return crc & 0xffffff;
}

/**
 * (17.10) Lee el texto de la credencial y devuelve { secreta: x, publica: X = g^x }.  Ignora espacios
 * y guiones, acepta minúsculas, O→0 e I/L→1; cualquier error de copia → `formato_invalido`.
 */
export function leerCredencial(texto) {
  if (typeof texto !== "string") throw new ErrorVmre("tipo_invalido", "La credencial debe ser texto.", { campo: "credencial" });
  const limpio = texto.toUpperCase().replace(/[ \-\t\n]/g, "");
  if (limpio.length !== SIMBOLOS) {
    throw new ErrorVmre(
      "formato_invalido",
      `La credencial debe tener ${SIMBOLOS} símbolos (sin contar guiones); tiene ${limpio.length}.`,
      { campo: "credencial" },
    );
  }
  let entero = 0n;
  for (let k = 0; k < limpio.length; k++) {
    const valor = VALOR.get(limpio[k]);
    if (valor === undefined) {
      throw new ErrorVmre("formato_invalido", `El símbolo ${k + 1} de la credencial no es válido.`, {
        campo: "credencial",
        posicion: k + 1,
      });
    }
    entero = (entero << 5n) | BigInt(valor);
  }
  const relleno = BigInt(5 * SIMBOLOS - 8 * (BYTES_Q + 3));
  if (entero & ((1n << relleno) - 1n)) {
    throw new ErrorVmre("formato_invalido", "La credencial tiene un error de copia.", { campo: "credencial" });
  }
  const carga = (entero >> relleno).toString(16).padStart(2 * (BYTES_Q + 3), "0");
  const cuerpo = Uint8Array.from(carga.slice(0, 2 * BYTES_Q).match(/../g), (h) => parseInt(h, 16));
  if (crc24(cuerpo) !== parseInt(carga.slice(2 * BYTES_Q), 16)) {
    throw new ErrorVmre("formato_invalido", "La credencial tiene un error de copia: revise cada símbolo.", { campo: "credencial" });
  }
  const x = BigInt("0x" + carga.slice(0, 2 * BYTES_Q));
  if (x === 0n || x >= Q) {
    throw new ErrorVmre("fuera_de_rango_q", "La credencial no está en el intervalo 1..q−1.", { campo: "credencial" });
  }
  return { secreta: x, publica: gALa(x) };
}
