// H(B0; B1) = HMAC-SHA-256(B0, B1) (3.1) y sus usos: reducción a Z_q (3.2) y codificación de las
// partes de B1 (§3.1).  El primer byte de B1 es siempre un byte de separación de dominio (§3.3).

import { BYTES_P, BYTES_Q, Q } from "./grupo.js";
import { bytesAEntero, concatenar, entero4, enteroABytes } from "./bytes.js";
import { hmacSha256 } from "./sha256.js";

/** Bytes de separación de dominio que usa el dispositivo del elector (§3.3). */
export const Dominio = Object.freeze({
  H_P: 0x00,
  H_M: 0x01,
  H_B: 0x02,
  H_E: 0x12,
  NONCE: 0x20,
  RETO_RANGO: 0x21,
  HASH_CONTIENDA: 0x23,
  CODIGO_CONFIRMACION: 0x24,
  FIRMA_CREDENCIAL: 0x50,
});

export function H(clave, datos) {
  if (clave.length !== 32) throw new RangeError("B0 debe medir exactamente 32 bytes");
  return hmacSha256(clave, datos);
}

/** H(B0; B1) como entero big-endian reducido módulo q (3.2). */
export function hashAQ(clave, datos) {
  return bytesAEntero(H(clave, datos)) % Q;
}

/** b(x, l_p) para un elemento de Z_p^r. */
export const bP = (x) => enteroABytes(x, BYTES_P);
/** b(x, l_q) para un elemento de Z_q. */
export const bQ = (x) => enteroABytes(x, BYTES_Q);

export const dominio = (byte) => Uint8Array.of(byte);

export { concatenar, entero4 };
